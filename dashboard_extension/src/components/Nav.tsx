import { Box, Text } from "@saleor/macaw-ui";
import type { MouseEvent } from "react";

import { useRouter } from "../router/Router";
import { BASE, pathOf, type Route } from "../router/routes";

const TABS: { label: string; route: Route; pages: Route["page"][] }[] = [
  { label: "Offers", route: { page: "offers" }, pages: ["offers", "offerNew", "offerEdit"] },
  {
    label: "Post-purchase",
    route: { page: "postPurchase" },
    pages: ["postPurchase", "postPurchaseNew", "postPurchaseEdit"],
  },
  { label: "Suggestions", route: { page: "suggestions" }, pages: ["suggestions"] },
  { label: "Analytics", route: { page: "analytics" }, pages: ["analytics"] },
  { label: "Settings", route: { page: "settings" }, pages: ["settings"] },
];

export function Nav() {
  const { route, navigate } = useRouter();
  return (
    <Box as="nav" aria-label="Upsell sections" display="flex" gap={1} borderBottomWidth={1} borderBottomStyle="solid" borderColor="default1">
      {TABS.map((tab) => {
        const active = tab.pages.includes(route.page);
        const onClick = (event: MouseEvent) => {
          event.preventDefault();
          navigate(tab.route);
        };
        return (
          <Box
            as="a"
            key={tab.label}
            href={`${BASE}${pathOf(tab.route)}`}
            onClick={onClick}
            aria-current={active ? "page" : undefined}
            paddingX={3}
            paddingY={2}
            borderBottomWidth={1}
            borderBottomStyle="solid"
            borderColor={active ? "accent1" : "transparent"}
            textDecoration="none"
          >
            <Text fontWeight={active ? "bold" : "regular"} color={active ? "default1" : "default2"}>
              {tab.label}
            </Text>
          </Box>
        );
      })}
    </Box>
  );
}
