"""`python -m saleor_upsell_app.cli`: the same command line as the `saleor-upsell` script."""

from . import main

main()
