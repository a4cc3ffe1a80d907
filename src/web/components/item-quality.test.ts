// The quality check's marks follow the field while it is typed, a keystroke or two ahead of the check.
import { describe, expect, it } from "vitest";
import { carryMarks } from "./item-quality";

const mark = (start: number, end: number) => ({ start, end });
const words = (text: string, marks: { start: number; end: number }[]) => marks.map((m) => text.slice(m.start, m.end));

describe("carryMarks", () => {
  it("keeps the marks as they are when the field still holds the checked text", () => {
    const marks = [mark(0, 4), mark(10, 15)];
    expect(carryMarks("some text here", "some text here", marks)).toBe(marks);
  });

  it("keeps marks before a change typed at the end in place", () => {
    const checked = "Export quickly";
    const current = "Export quickly and easily";
    expect(words(current, carryMarks(checked, current, [mark(7, 14)]))).toEqual(["quickly"]);
  });

  it("shifts marks after a change typed at the start by what was typed", () => {
    const checked = "Export quickly";
    const current = "Now export quickly";
    const carried = carryMarks(checked, current, [mark(7, 14)]);
    expect(words(current, carried)).toEqual(["quickly"]);
  });

  it("drops a mark whose words were changed", () => {
    const checked = "Export quickly, etc";
    const current = "Export quickly within 2 s";
    const carried = carryMarks(checked, current, [mark(7, 14), mark(16, 19)]);
    expect(words(current, carried)).toEqual(["quickly"]);
  });

  it("drops every mark of a field that was cleared", () => {
    expect(carryMarks("Export quickly", "", [mark(7, 14)])).toEqual([]);
  });
});
