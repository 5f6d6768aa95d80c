/** The three states every data view has besides "ready": loading, failed, and empty. */
import { Box, Button, Skeleton, Text } from "@saleor/macaw-ui";
import type { ReactNode } from "react";

import { describeError } from "../api/client";

export function LoadingState({ rows = 3, label = "Loading…" }: { rows?: number; label?: string }) {
  return (
    <Box display="flex" flexDirection="column" gap={3} aria-busy="true" aria-label={label} data-testid="loading">
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} __height="44px" />
      ))}
    </Box>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <Box
      role="alert"
      display="flex"
      flexDirection="column"
      gap={2}
      padding={5}
      borderRadius={4}
      borderWidth={1}
      borderStyle="solid"
      borderColor="critical1"
      backgroundColor="critical1"
    >
      <Text fontWeight="bold">Something went wrong</Text>
      <Text color="default2">{describeError(error)}</Text>
      {onRetry && (
        <Box>
          <Button variant="secondary" onClick={onRetry}>
            Try again
          </Button>
        </Box>
      )}
    </Box>
  );
}

export function EmptyState({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <Box
      data-testid="empty-state"
      display="flex"
      flexDirection="column"
      alignItems="flex-start"
      gap={3}
      padding={8}
      borderRadius={4}
      borderWidth={1}
      borderStyle="solid"
      borderColor="default1"
      backgroundColor="default2"
    >
      <Text as="h2" size={6} fontWeight="bold">
        {title}
      </Text>
      <Text color="default2">{children}</Text>
      {action}
    </Box>
  );
}
