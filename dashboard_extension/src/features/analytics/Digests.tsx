/** The weekly digests the app produced by itself, each downloadable as text and as a chart. */
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useQuery } from "urql";

import { DigestsDocument } from "../../api/generated";
import { Section } from "../../components/Page";
import { Cell, Table } from "../../components/Table";
import { weekLabel } from "./series";

function download(filename: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}

export function pngBlob(base64: string): Blob {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type: "image/png" });
}

export function Digests() {
  const [digests] = useQuery({ query: DigestsDocument });
  const rows = digests.data?.digests ?? [];
  return (
    <Section title="Weekly digests">
      {rows.length === 0 ? (
        <Text size={2} color="default2" data-testid="digests-empty">
          The app writes a digest of each week on Monday (and e-mails it when the operator configured SMTP). The first one
          appears after your first full week.
        </Text>
      ) : (
        <Table testId="digests" headers={["Week", "E-mailed to", ""]}>
          {rows.map((digest) => (
            <tr key={digest.week}>
              <Cell><Text>Week of {weekLabel(digest.weekStart)} {digest.weekStart.slice(0, 4)}</Text></Cell>
              <Cell><Text color="default2">{digest.emailedTo ?? "—"}</Text></Cell>
              <Cell>
                <Box display="flex" gap={2}>
                  <Button variant="secondary" size="small" onClick={() => download(`upsell-${digest.week}.txt`, new Blob([digest.text], { type: "text/plain" }))}>
                    Text
                  </Button>
                  {digest.chartPngBase64 && (
                    <Button variant="secondary" size="small" onClick={() => download(`upsell-${digest.week}.png`, pngBlob(digest.chartPngBase64 ?? ""))}>
                      Chart
                    </Button>
                  )}
                </Box>
              </Cell>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}
