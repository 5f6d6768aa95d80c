/** A plain data table in the dashboard's style: header cells, then rows of `Cell`s. */
import { Box, Text } from "@saleor/macaw-ui";
import type { ReactNode } from "react";

export function Table({ headers, children, testId }: { headers: string[]; children: ReactNode; testId?: string }) {
  return (
    <Box as="table" width="100%" data-testid={testId} style={{ borderCollapse: "collapse" }}>
      <thead>
        <tr>
          {headers.map((header, index) => (
            <Box as="th" key={index} textAlign="left" paddingY={2} paddingX={3} borderBottomWidth={1} borderBottomStyle="solid" borderColor="default1">
              <Text size={2} color="default2" fontWeight="medium">
                {header}
              </Text>
            </Box>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </Box>
  );
}

export function Cell({ children, dense }: { children: ReactNode; dense?: boolean }) {
  return (
    <Box as="td" paddingY={dense ? 2 : 3} paddingX={3} borderBottomWidth={1} borderBottomStyle="solid" borderColor="default1" style={{ verticalAlign: "top" }}>
      {children}
    </Box>
  );
}
