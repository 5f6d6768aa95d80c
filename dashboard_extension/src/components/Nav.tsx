import { Box, Text } from "@saleor/macaw-ui";
import { Link, useLocation } from "wouter";

import { pageOf, paths, type Page } from "../router/routes";

const TABS: { label: string; href: string; pages: Page[] }[] = [
  { label: "Offers", href: paths.offers, pages: ["offers", "offerNew", "offerEdit"] },
  { label: "Post-purchase", href: paths.postPurchase, pages: ["postPurchase", "postPurchaseNew", "postPurchaseEdit"] },
  { label: "Suggestions", href: paths.suggestions, pages: ["suggestions"] },
  { label: "Analytics", href: paths.analytics, pages: ["analytics"] },
  { label: "Settings", href: paths.settings, pages: ["settings"] },
];

export function Nav() {
  const [location] = useLocation();
  const page = pageOf(location)?.page;
  return (
    <Box as="nav" aria-label="Upsell sections" display="flex" gap={1} borderBottomWidth={1} borderBottomStyle="solid" borderColor="default1">
      {TABS.map((tab) => {
        const active = page !== undefined && tab.pages.includes(page);
        return (
          <Link key={tab.label} href={tab.href} asChild>
            <Box
              as="a"
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
          </Link>
        );
      })}
    </Box>
  );
}
