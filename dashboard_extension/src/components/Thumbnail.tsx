import { Box } from "@saleor/macaw-ui";
import { useState } from "react";

/** A product image that disappears instead of showing a broken icon when it cannot be loaded. */
export function Thumbnail({ url, size = 64 }: { url: string; size?: number }) {
  const [failed, setFailed] = useState(false);
  if (failed) return null;
  return (
    <Box
      as="img"
      src={url}
      alt=""
      __width={`${size}px`}
      __height={`${size}px`}
      flexShrink="0"
      borderRadius={3}
      style={{ objectFit: "cover" }}
      onError={() => setFailed(true)}
    />
  );
}
