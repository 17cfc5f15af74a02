// The CLI's own words, Vietnamese first (officers), English with --lang en (developers).
export type Lang = 'vi' | 'en';

export const USAGE = {
  vi: `annex — đọc và kiểm tra phụ lục nhiệm vụ kế hoạch cải cách hành chính

Cách dùng:
  annex parse TỆP [--json]                      Đọc phụ lục, in các mục và nhiệm vụ
  annex validate TỆP [tùy chọn]                 Kiểm tra phụ lục, in danh sách lỗi
  annex export TỆP --out RA.docx|.xlsx|.csv     Xuất phụ lục theo thể thức văn bản (Nghị định 30)
  annex template [...]                          Tạo tệp mẫu phụ lục (xem: annex template --help)
  annex consolidate TỆP|THƯ_MỤC… --out BÁO_CÁO.xlsx|.docx|.csv|.json [--province TỈNH] [--year NĂM] [--cover] [--json]
                                                Tổng hợp phụ lục của nhiều cơ quan thành một báo cáo
  annex schema                                  In JSON Schema của phụ lục và báo cáo
  annex --help                                  In hướng dẫn này

TỆP: .xlsx, .csv, .tsv, .txt hoặc .docx (định dạng được nhận dạng theo nội dung).

Tùy chọn của validate:
  --json             In báo cáo dạng JSON (một đối tượng duy nhất)
  --cover            Báo cáo .xlsx/.docx có phần đầu theo NĐ 30 (cơ quan ban hành, Quốc hiệu, số, ngày, Nơi nhận)
  --fix RA.xlsx      Áp dụng các cách sửa tự động và ghi kết quả ra tệp Excel
  --mark RA.xlsx     Ghi bản sao tệp Excel của anh/chị có đánh dấu: ô có vấn đề được tô màu và có ghi chú,
                     thêm trang "Kiểm tra" liệt kê mọi vấn đề (mở được bằng Excel 2016, WPS, LibreOffice)
  --province TỈNH    Tỉnh/thành như thường viết ("Khánh Hòa", "TP HCM") hoặc mã, ví dụ "nam-dinh"
  --year NĂM         Năm kế hoạch (ví dụ 2025)
  --lang vi|en       Ngôn ngữ thông báo (mặc định: vi)

Mã thoát: 0 không có lỗi · 1 có lỗi · 2 tệp đầu vào không đọc được hoặc không phải phụ lục.
`,
  en: `annex — read and check the task annex of an administrative-reform plan

Usage:
  annex parse FILE [--json]                     Read the annex, print its sections and tasks
  annex validate FILE [options]                 Check the annex, print the issues
  annex export FILE --out OUT.docx|.xlsx|.csv   Export the annex in the official layout (Decree 30)
  annex template [...]                          Make an annex template (see: annex template --help)
  annex consolidate FILE|DIR… --out REPORT.xlsx|.docx|.csv|.json [--province NAME] [--year YEAR] [--cover] [--json]
                                                Consolidate many agencies' annexes into one report
  annex schema                                  Print the JSON Schemas of the annex and the report
  annex --help                                  Print this help

FILE: .xlsx, .csv, .tsv, .txt or .docx (the format is recognised from the content).

validate options:
  --json             Print the report as JSON (one object)
  --cover            The .xlsx/.docx report gets the NĐ 30 cover block (issuer, national name, number, date, Nơi nhận)
  --fix OUT.xlsx     Apply the automatic fixes and write the result as an Excel file
  --mark OUT.xlsx    Write a marked copy of the input workbook: problem cells coloured with a note each,
                     plus a "Kiểm tra" sheet listing every issue (opens in Excel 2016, WPS, LibreOffice)
  --province NAME    Province as typed ("Khánh Hòa", "TP HCM") or its id, e.g. "nam-dinh"
  --year YEAR        Plan year (e.g. 2025)
  --lang vi|en       Message language (default: vi)

Exit codes: 0 no errors · 1 errors found · 2 unreadable input or not an annex.
`,
};

export const T = {
  vi: {
    severity: { error: 'Lỗi', warning: 'Cảnh báo', info: 'Thông tin' },
    cell: 'Ô',
    level: 'Mức',
    message: 'Nội dung',
    hint: 'Gợi ý',
    line: 'dòng',
    file: 'Tệp',
    noIssues: 'Không phát hiện vấn đề nào.',
    summary: (s: Stats) =>
      `Tổng kết: ${s.sections} mục, ${s.tasks} nhiệm vụ, ${s.products} sản phẩm — ${s.errors} lỗi, ${s.warnings} cảnh báo, ${s.infos} thông tin.`,
    section: 'Mục',
    task: 'Nhiệm vụ',
    products: 'sản phẩm',
    lead: 'Chủ trì',
    support: 'Phối hợp',
    timeline: 'Thời gian',
    fixWritten: (n: number, out: string, s: Stats) =>
      `Đã áp dụng ${n} cách sửa, ghi ra "${out}" (còn ${s.errors} lỗi, ${s.warnings} cảnh báo).`,
    noFixes: (out: string) => `Không có lỗi nào sửa tự động được; đã ghi bản sao ra "${out}".`,
    markWritten: (out: string, issues: number, notes: number, sheet: string) =>
      `Đã ghi bản đánh dấu ra "${out}": ${notes} ô có ghi chú, ${issues} vấn đề trong trang "${sheet}".`,
  },
  en: {
    severity: { error: 'Error', warning: 'Warning', info: 'Info' },
    cell: 'Cell',
    level: 'Level',
    message: 'Message',
    hint: 'Hint',
    line: 'line',
    file: 'File',
    noIssues: 'No issues found.',
    summary: (s: Stats) =>
      `Summary: ${s.sections} sections, ${s.tasks} tasks, ${s.products} products — ${s.errors} errors, ${s.warnings} warnings, ${s.infos} infos.`,
    section: 'Section',
    task: 'Task',
    products: 'products',
    lead: 'Lead',
    support: 'Support',
    timeline: 'Timeline',
    fixWritten: (n: number, out: string, s: Stats) =>
      `Applied ${n} fixes, wrote "${out}" (${s.errors} errors, ${s.warnings} warnings left).`,
    noFixes: (out: string) => `No issue could be fixed automatically; wrote a copy to "${out}".`,
    markWritten: (out: string, issues: number, notes: number, sheet: string) =>
      `Wrote the marked copy "${out}": ${notes} cells with notes, ${issues} issues on sheet "${sheet}".`,
  },
};

export interface Stats {
  sections: number;
  tasks: number;
  products: number;
  errors: number;
  warnings: number;
  infos: number;
}
