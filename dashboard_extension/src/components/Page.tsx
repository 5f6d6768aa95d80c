/** Page frame: navigation tabs, title with an optional action, then the content. */
import { Box, Text } from "@saleor/macaw-ui";
import type { ReactNode } from "react";

import { Nav } from "./Nav";

export function Page({
  title,
  description,
  action,
  children,
}: {
  title: string;
  description?: ReactNode;
  action?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Box display="flex" flexDirection="column" gap={6} padding={6} __maxWidth="1200px" marginX="auto">
      <Nav />
      <Box display="flex" justifyContent="space-between" alignItems="flex-start" gap={4}>
        <Box display="flex" flexDirection="column" gap={1}>
          <Text as="h1" size={9} fontWeight="bold">
            {title}
          </Text>
          {description && <Text color="default2">{description}</Text>}
        </Box>
        {action}
      </Box>
      {children}
    </Box>
  );
}

export function Section({ title, children, aside }: { title: string; children: ReactNode; aside?: ReactNode }) {
  return (
    <Box
      as="section"
      display="flex"
      flexDirection="column"
      gap={4}
      padding={5}
      borderRadius={4}
      borderWidth={1}
      borderStyle="solid"
      borderColor="default1"
    >
      <Box display="flex" justifyContent="space-between" alignItems="center">
        <Text as="h2" size={6} fontWeight="bold">
          {title}
        </Text>
        {aside}
      </Box>
      {children}
    </Box>
  );
}
