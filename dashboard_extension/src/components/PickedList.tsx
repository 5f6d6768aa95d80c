/** Picked catalogue items as removable chips. */
import { Box, Button, Text } from "@saleor/macaw-ui";

import type { Picked } from "../features/offers/ruleForm";
import { Thumbnail } from "./Thumbnail";

export function PickedList({ items, onRemove, label }: { items: Picked[]; onRemove: (id: string) => void; label: string }) {
  if (!items.length) return null;
  return (
    <Box as="ul" display="flex" flexWrap="wrap" gap={2} padding={0} margin={0} aria-label={label}>
      {items.map((item) => (
        <Box
          as="li"
          key={item.id}
          display="flex"
          alignItems="center"
          gap={1}
          paddingLeft={2}
          borderRadius={3}
          borderWidth={1}
          borderStyle="solid"
          borderColor="default1"
          style={{ listStyle: "none" }}
        >
          {item.imageUrl && <Thumbnail url={item.imageUrl} size={24} />}
          <Text size={2}>{item.label}</Text>
          <Button variant="tertiary" size="small" aria-label={`Remove ${item.label}`} onClick={() => onRemove(item.id)}>
            ×
          </Button>
        </Box>
      ))}
    </Box>
  );
}
