// Input errors: what can be wrong with a file before the engine ever sees it.
// Each code has a Vietnamese message (shown to officers) and an English one (for developers and logs).
// The server returns these as `{ error: { code, message, messageEn, where } }`; the CLI prints both lines.

export interface InputWhere {
  /** The file name as given by the user. */
  file?: string;
  sheet?: string;
  cell?: string;
  row?: number;
  /** Name of the zip entry concerned. */
  entry?: string;
}

interface CatalogueEntry {
  vi: string;
  en: string;
  /** What the officer can do about it. */
  hint: string;
  hintEn: string;
}

export const INPUT_ERRORS = {
  'input.file-not-found': {
    vi: 'Không tìm thấy tệp "{file}".',
    en: 'File "{file}" not found.',
    hint: 'Kiểm tra lại đường dẫn và tên tệp.',
    hintEn: 'Check the path and the file name.',
  },
  'input.not-a-file': {
    vi: '"{file}" không phải là một tệp (có thể là thư mục).',
    en: '"{file}" is not a regular file (it may be a directory).',
    hint: 'Chỉ định đường dẫn đến một tệp .xlsx, .csv, .txt hoặc .docx.',
    hintEn: 'Give the path of an .xlsx, .csv, .txt or .docx file.',
  },
  'input.empty': {
    vi: 'Tệp "{file}" rỗng, không có nội dung.',
    en: 'File "{file}" is empty.',
    hint: 'Chọn lại tệp phụ lục có nội dung; có thể tệp chưa được lưu hoặc tải lên bị lỗi.',
    hintEn: 'Pick the annex file again; it may not have been saved or the upload failed.',
  },
  'input.too-large': {
    vi: 'Tệp "{file}" có dung lượng {size} MB, vượt giới hạn {limit} MB.',
    en: 'File "{file}" is {size} MB, over the {limit} MB limit.',
    hint: 'Xóa các trang tính, hình ảnh không cần thiết rồi lưu lại, hoặc tách phụ lục thành nhiều tệp.',
    hintEn: 'Remove unneeded sheets and images, or split the annex into several files.',
  },
  'input.unknown-type': {
    vi: 'Không nhận dạng được định dạng của tệp "{file}" (không phải Excel, CSV, văn bản hay Word).',
    en: 'The format of "{file}" is not recognised (not Excel, CSV, text or Word).',
    hint: 'Lưu phụ lục dưới dạng Excel (.xlsx), CSV, văn bản (.txt) hoặc Word (.docx) rồi thử lại.',
    hintEn: 'Save the annex as Excel (.xlsx), CSV, plain text (.txt) or Word (.docx) and try again.',
  },
  'input.zip-not-office': {
    vi: 'Tệp "{file}" là tệp nén (zip) nhưng không phải tệp Excel (.xlsx) hay Word (.docx).',
    en: '"{file}" is a zip archive but not an Excel (.xlsx) or Word (.docx) file.',
    hint: 'Giải nén và chọn trực tiếp tệp .xlsx hoặc .docx chứa phụ lục.',
    hintEn: 'Extract it and pick the .xlsx or .docx file that holds the annex.',
  },
  'input.zip-truncated': {
    vi: 'Tệp "{file}" bị hỏng hoặc không đầy đủ (tệp nén bị cắt cụt).',
    en: '"{file}" is damaged or incomplete (the zip archive is truncated).',
    hint: 'Tải lại hoặc sao chép lại tệp gốc; mở thử bằng Excel/Word rồi lưu lại.',
    hintEn: 'Download or copy the original again; open it in Excel/Word and save it again.',
  },
  'input.zip-bomb': {
    vi: 'Tệp "{file}" khi giải nén quá lớn ({uncompressed} MB, gấp {ratio} lần) nên bị từ chối để bảo vệ hệ thống.',
    en: '"{file}" expands to {uncompressed} MB ({ratio}× its size) and is refused to protect the system.',
    hint: 'Một phụ lục thông thường chỉ vài MB; hãy mở tệp bằng Excel, xóa dữ liệu thừa và lưu lại.',
    hintEn: 'A normal annex is a few MB; open it in Excel, remove excess data and save it again.',
  },
  'input.zip-inconsistent': {
    vi: 'Tệp "{file}" bị hỏng hoặc bị làm giả: dữ liệu giải nén khác kích thước khai báo (mục "{entry}").',
    en: '"{file}" is damaged or forged: an entry inflates to a size other than declared ("{entry}").',
    hint: 'Không mở tệp này; xin lại tệp gốc từ người gửi.',
    hintEn: 'Do not open this file; ask the sender for the original.',
  },
  'input.encrypted': {
    vi: 'Tệp "{file}" được đặt mật khẩu (mã hóa), không thể đọc nội dung.',
    en: '"{file}" is password-protected (encrypted); its content cannot be read.',
    hint: 'Mở tệp bằng Excel, vào Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa mật khẩu rồi lưu lại.',
    hintEn: 'Open it in Excel, File → Info → Protect Workbook → Encrypt with Password, clear the password and save.',
  },
  'input.legacy-office': {
    vi: 'Tệp "{file}" là định dạng Office cũ ({format}), chưa được hỗ trợ.',
    en: '"{file}" is a legacy Office format ({format}), which is not supported.',
    hint: 'Mở tệp bằng Excel/Word và chọn Lưu thành → định dạng .xlsx hoặc .docx.',
    hintEn: 'Open it in Excel/Word and Save As .xlsx or .docx.',
  },
  'input.pdf-no-text': {
    vi: 'Tệp "{file}" là bản PDF quét (ảnh chụp trang, {pages} trang), không có lớp chữ nên không đọc được nội dung phụ lục.',
    en: '"{file}" is a scanned PDF ({pages} pages of images) with no text layer, so the annex cannot be read.',
    hint: 'Hãy gửi tệp Word (.docx) hoặc Excel (.xlsx) gốc của phụ lục thay cho bản PDF quét.',
    hintEn: 'Send the original Word (.docx) or Excel (.xlsx) file of the annex instead of the scan.',
  },
  'input.unsupported': {
    vi: 'Định dạng {format} của tệp "{file}" chưa được hỗ trợ.',
    en: 'The {format} format of "{file}" is not supported yet.',
    hint: 'Lưu phụ lục dưới dạng Excel (.xlsx), CSV hoặc văn bản (.txt) rồi thử lại.',
    hintEn: 'Save the annex as Excel (.xlsx), CSV or plain text (.txt) and try again.',
  },
  'input.lost-letters': {
    vi: 'Tệp "{file}" đã mất chữ có dấu khi được lưu: {count} chỗ chữ bị thay bằng dấu "?" (dòng {row}: "{example}").',
    en: '"{file}" lost its accented letters when it was saved: {count} letters were replaced by "?" (line {row}: "{example}").',
    hint: 'Tệp đã được lưu bằng một bảng mã không chứa đủ chữ tiếng Việt. Mở bản gốc, lưu lại dạng "CSV UTF-8" hoặc Excel (.xlsx) rồi gửi lại.',
    hintEn: 'The file was saved in a code page that lacks Vietnamese letters. Open the original, save it as "CSV UTF-8" or Excel (.xlsx) and send it again.',
  },
  'input.unreadable': {
    vi: 'Không đọc được tệp "{file}": {detail}.',
    en: 'Could not read "{file}": {detail}.',
    hint: 'Mở tệp bằng Excel/Word, lưu lại rồi thử lại.',
    hintEn: 'Open the file in Excel/Word, save it again and retry.',
  },
  'input.not-annex': {
    vi: 'Tệp "{file}" không chứa bảng phụ lục nhiệm vụ (không tìm thấy dòng tiêu đề).',
    en: '"{file}" holds no annex task table (no header row found).',
    hint: 'Bảng cần có dòng tiêu đề với các cột như "STT", "Nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện".',
    hintEn: 'The table needs a header row with columns such as "STT", "Nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện".',
  },
  'input.limit-rows': {
    vi: 'Trang tính "{sheet}" của tệp "{file}" có dữ liệu đến dòng {count}, vượt giới hạn {limit} dòng.',
    en: 'Sheet "{sheet}" of "{file}" has data down to row {count}, over the limit of {limit} rows.',
    hint: 'Xóa các dòng thừa ở cuối trang tính (kể cả ô chỉ có dấu cách) hoặc tách phụ lục thành nhiều tệp.',
    hintEn: 'Delete stray rows at the end of the sheet (cells holding only spaces too) or split the annex into several files.',
  },
  'input.limit-columns': {
    vi: 'Trang tính "{sheet}" của tệp "{file}" có dữ liệu đến cột thứ {count}, vượt giới hạn {limit} cột.',
    en: 'Sheet "{sheet}" of "{file}" has data out to column {count}, over the limit of {limit} columns.',
    hint: 'Xóa các cột thừa bên phải bảng phụ lục rồi lưu lại.',
    hintEn: 'Delete the stray columns to the right of the annex table and save again.',
  },
  'input.limit-cells': {
    vi: 'Trang tính "{sheet}" của tệp "{file}" có {count} ô, vượt giới hạn {limit} ô.',
    en: 'Sheet "{sheet}" of "{file}" has {count} cells, over the limit of {limit} cells.',
    hint: 'Xóa dữ liệu không thuộc phụ lục hoặc tách phụ lục thành nhiều tệp.',
    hintEn: 'Remove data that is not part of the annex or split the annex into several files.',
  },
  'input.limit-sheets': {
    vi: 'Tệp "{file}" có {count} trang tính, vượt giới hạn {limit}.',
    en: '"{file}" has {count} sheets, over the limit of {limit}.',
    hint: 'Chỉ giữ lại các trang tính của phụ lục.',
    hintEn: 'Keep only the annex sheets.',
  },
  'input.limit-merge-count': {
    vi: 'Trang tính "{sheet}" của tệp "{file}" có {count} vùng gộp ô, vượt giới hạn {limit}.',
    en: 'Sheet "{sheet}" of "{file}" has {count} merged ranges, over the limit of {limit}.',
    hint: 'Bỏ gộp các ô không cần thiết (Trang đầu → Gộp và căn giữa → Bỏ gộp ô) rồi lưu lại.',
    hintEn: 'Unmerge the cells that need no merging (Home → Merge & Center → Unmerge Cells) and save again.',
  },
  'input.limit-merge-area': {
    vi: 'Vùng gộp ô {range} trong trang tính "{sheet}" của tệp "{file}" phủ {area} ô, vượt giới hạn {limit} ô.',
    en: 'The merged range {range} on sheet "{sheet}" of "{file}" covers {area} cells, over the limit of {limit}.',
    hint: 'Chọn vùng gộp đó, bỏ gộp ô rồi chỉ gộp đúng các ô của bảng phụ lục.',
    hintEn: 'Select that range, unmerge it and merge only the cells of the annex table.',
  },
  'input.limit-docx-span': {
    vi: 'Một dòng bảng trong tệp Word "{file}" trải trên {count} cột, vượt giới hạn {limit} cột của Word.',
    en: 'A table row in the Word file "{file}" spans {count} columns, over Word\'s limit of {limit}.',
    hint: 'Tệp có thể bị hỏng hoặc bị làm giả; mở bằng Word, sao chép bảng sang văn bản mới rồi lưu lại.',
    hintEn: 'The file may be damaged or forged; open it in Word, copy the table into a new document and save.',
  },
  'input.limit-number-format': {
    vi: 'Tệp "{file}" có một định dạng số dài {length} ký tự, vượt giới hạn {limit} ký tự của Excel.',
    en: '"{file}" has a number format of {length} characters, over Excel\'s limit of {limit}.',
    hint: 'Tệp có thể bị hỏng hoặc bị làm giả; mở bằng Excel, đặt lại định dạng ô (Định dạng ô → Chung) rồi lưu lại.',
    hintEn: 'The file may be damaged or forged; open it in Excel, reset the cell format (Format Cells → General) and save.',
  },
  'input.parse-timeout': {
    vi: 'Đọc tệp "{file}" mất quá {seconds} giây nên đã dừng để bảo vệ hệ thống.',
    en: 'Reading "{file}" took over {seconds} s and was stopped to protect the system.',
    hint: 'Một phụ lục thông thường được đọc trong vài giây; hãy mở tệp, xóa dữ liệu thừa, lưu lại rồi gửi lại.',
    hintEn: 'A normal annex reads in seconds; open the file, remove excess data, save and send again.',
  },
  'input.parse-memory': {
    vi: 'Đọc tệp "{file}" cần quá nhiều bộ nhớ nên đã dừng để bảo vệ hệ thống.',
    en: 'Reading "{file}" needed too much memory and was stopped to protect the system.',
    hint: 'Xóa dữ liệu, hình ảnh và trang tính không thuộc phụ lục rồi gửi lại.',
    hintEn: 'Remove data, images and sheets that are not part of the annex and send again.',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type InputErrorCode = keyof typeof INPUT_ERRORS;
export const INPUT_ERROR_CODES = Object.keys(INPUT_ERRORS) as InputErrorCode[];

function fill(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const v = params[key];
    return v === undefined || v === null ? whole : String(v);
  });
}

/** A problem with the input file itself; never a bug. Carries both languages and where it is. */
export class InputError extends Error {
  readonly code: InputErrorCode;
  /** Vietnamese message (`message` is the Vietnamese one too, so generic handlers show Vietnamese). */
  readonly messageVi: string;
  readonly messageEn: string;
  readonly hint: string;
  readonly hintEn: string;
  readonly where?: InputWhere;
  readonly params: Record<string, unknown>;

  constructor(code: InputErrorCode, params: Record<string, unknown> = {}, where?: InputWhere) {
    const entry = INPUT_ERRORS[code];
    const all: Record<string, unknown> = { ...where, file: where?.file ?? 'tệp', ...params };
    const vi = fill(entry.vi, all);
    super(vi);
    this.name = 'InputError';
    this.code = code;
    this.messageVi = vi;
    // A param "detailEn" fills {detail} in the English texts.
    const allEn: Record<string, unknown> = { ...all, file: where?.file ?? 'file' };
    for (const [k, v] of Object.entries(params)) if (k.endsWith('En')) allEn[k.slice(0, -2)] = v;
    this.messageEn = fill(entry.en, allEn);
    this.hint = fill(entry.hint, all);
    this.hintEn = fill(entry.hintEn, allEn);
    this.params = params;
    if (where) this.where = where;
  }

  /** The API error body: `{ code, message, messageEn, hint, where }`. */
  toJSON(): { code: string; message: string; messageEn: string; hint: string; where?: InputWhere } {
    const out: { code: string; message: string; messageEn: string; hint: string; where?: InputWhere } = {
      code: this.code,
      message: this.messageVi,
      messageEn: this.messageEn,
      hint: this.hint,
    };
    if (this.where) out.where = this.where;
    return out;
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}
