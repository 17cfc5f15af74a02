"""Dumps what an xlsx holds as openpyxl (the library most scripts in provincial offices use) sees it, as JSON:
per sheet the notes, each cell's formatting, column widths, merges, frozen panes and page setup, and for the
check sheet its rows and hyperlinks. Used by tests/io/xlsx-mark.test.ts."""
import json
import sys

import openpyxl


def fmt(c):
    f, fill, b, a = c.font, c.fill, c.border, c.alignment
    return [f.name, f.sz, f.b, f.i, str(f.color.rgb if f.color is not None else None), fill.fill_type,
            str(fill.fgColor.rgb), [str(s.style) for s in (b.left, b.right, b.top, b.bottom)],
            a.horizontal, a.vertical, a.wrap_text, c.number_format]


def main(path, check_sheet):
    wb = openpyxl.load_workbook(path)
    out = {"sheets": wb.sheetnames, "data": {}}
    for ws in wb.worksheets:
        d = {"notes": {}, "format": {}, "values": {}}
        for row in ws.iter_rows():
            for c in row:
                if c.comment is not None:
                    d["notes"][c.coordinate] = c.comment.text
                if c.has_style or c.value is not None:
                    d["format"][c.coordinate] = fmt(c)
                if c.value is not None:
                    d["values"][c.coordinate] = str(c.value)
        d["widths"] = {k: v.width for k, v in ws.column_dimensions.items()}
        d["merges"] = sorted(str(m) for m in ws.merged_cells.ranges)
        d["freeze"] = ws.freeze_panes
        d["page"] = [ws.page_setup.orientation, ws.page_setup.paperSize, ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None]
        d["conditional"] = [[str(r.sqref), [f for rule in r.rules for f in rule.formula]] for r in ws.conditional_formatting]
        if ws.title == check_sheet:
            d["rows"] = [list(r) for r in ws.iter_rows(min_row=5, values_only=True)]
            d["links"] = {c.coordinate: c.hyperlink.location for row in ws.iter_rows(min_row=5) for c in row if c.hyperlink is not None}
            del d["format"]
        out["data"][ws.title] = d
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "Kiểm tra")
