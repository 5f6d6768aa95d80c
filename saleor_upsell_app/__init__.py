"""saleor-upsell: order bumps, upgrades and post-purchase offers for Saleor."""
