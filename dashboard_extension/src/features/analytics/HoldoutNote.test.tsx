import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { HoldoutNote } from "./HoldoutNote";

describe("HoldoutNote", () => {
  it("says what the holdout costs and buys, at the chosen size", () => {
    render(<HoldoutNote percent={5} />);
    const note = screen.getByTestId("holdout-note").textContent ?? "";
    expect(note).toContain("The holdout (5% of eligible checkouts) sees no offers.");
    expect(note).toContain("gives up 0.5% of the revenue of eligible checkouts");
    expect(note).toContain("What it buys:");
  });
  it("warns that nothing is measured without one", () => {
    render(<HoldoutNote percent={0} />);
    expect(screen.getByTestId("holdout-note").textContent).toContain("The holdout is off: nothing can be measured");
  });
});
