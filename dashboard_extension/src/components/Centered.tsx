import { Box, Spinner, Text } from "@saleor/macaw-ui";
import type { ReactNode } from "react";

/** A full-page message: used before the dashboard handshake and for fatal states. */
export function Centered({ title, children, loading, state }: { title: string; children?: ReactNode; loading?: boolean; state?: string }) {
  return (
    <Box
      display="flex"
      flexDirection="column"
      alignItems="center"
      justifyContent="center"
      gap={3}
      padding={12}
      role={loading ? "status" : "alert"}
      data-testid="bridge-state"
      data-state={state}
    >
      {loading && <Spinner />}
      <Text as="h1" size={7} fontWeight="bold">
        {title}
      </Text>
      {children && (
        <Text as="p" color="default2" textAlign="center" __maxWidth="560px">
          {children}
        </Text>
      )}
    </Box>
  );
}
