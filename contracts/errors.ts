// The one catalogue of error codes outside the engine's diagnostics (those live in engine/rules/messages).
// Every code a user can meet — a file that cannot be read (input.*), an API refusal (auth.*, round.*, …), a CLI
// usage mistake (usage.*) — is a row here with its Vietnamese text (shown to officers), its English text (logs,
// developers) and, where it helps, what to do about it. {placeholders} are filled from parameters; a parameter
// "xEn" fills {x} in the English texts. Pure data: io/, server/, cli/ and every client read it from here.

export interface ErrorText {
  /** HTTP status when the server answers with this code (input errors: derived by `inputStatus`). */
  readonly status?: number;
  readonly vi: string;
  readonly en: string;
  /** What the officer can do about it. */
  readonly hint?: string;
  readonly hintEn?: string;
}

/** Input errors: what can be wrong with a file before the engine ever sees it. */
const INPUT = {
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
    hintEn:
      'The file was saved in a code page that lacks Vietnamese letters. Open the original, save it as "CSV UTF-8" or Excel (.xlsx) and send it again.',
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
    hintEn:
      'The table needs a header row with columns such as "STT", "Nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện".',
  },
  'input.limit-rows': {
    vi: 'Trang tính "{sheet}" của tệp "{file}" có dữ liệu đến dòng {count}, vượt giới hạn {limit} dòng.',
    en: 'Sheet "{sheet}" of "{file}" has data down to row {count}, over the limit of {limit} rows.',
    hint: 'Xóa các dòng thừa ở cuối trang tính (kể cả ô chỉ có dấu cách) hoặc tách phụ lục thành nhiều tệp.',
    hintEn:
      'Delete stray rows at the end of the sheet (cells holding only spaces too) or split the annex into several files.',
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
    hintEn:
      'The file may be damaged or forged; open it in Excel, reset the cell format (Format Cells → General) and save.',
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
} as const satisfies Record<`input.${string}`, ErrorText>;

/** API errors: refusals and failures the server answers with. */
const API = {
  'auth.required': { status: 401, vi: 'Bạn cần đăng nhập.', en: 'Sign-in required.' },
  'auth.invalid-credentials': {
    status: 401,
    vi: 'Tên đăng nhập hoặc mật khẩu không đúng.',
    en: 'Wrong username or password.',
  },
  'auth.invalid-token': {
    status: 401,
    vi: 'Mã truy cập (API token) không hợp lệ hoặc đã bị thu hồi. Hãy tạo mã mới trên trang quản trị.',
    en: 'The API token is invalid or revoked.',
  },
  'auth.too-many-attempts': {
    status: 429,
    vi: 'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút hoặc liên hệ quản trị viên.',
    en: 'Too many failed sign-ins; retry in {minutes} minutes.',
  },
  'auth.account-disabled': {
    status: 403,
    vi: 'Tài khoản "{username}" đã bị khoá. Liên hệ quản trị viên Sở Nội vụ để mở lại.',
    en: 'Account "{username}" is disabled.',
  },
  'auth.password-change-required': {
    status: 403,
    vi: 'Mật khẩu của bạn do quản trị viên đặt lại: hãy đổi mật khẩu (POST /api/me/password) trước khi làm việc khác.',
    en: 'The password was reset by an admin: change it before anything else.',
  },
  'auth.token-expired': {
    status: 401,
    vi: 'Mã truy cập (API token) "{label}" đã hết hạn ngày {expiresAt}. Hãy tạo mã mới trên bảng điều khiển.',
    en: 'API token "{label}" expired at {expiresAt}.',
  },
  'auth.token-scope': {
    status: 403,
    vi: 'Mã truy cập của phần bổ trợ chỉ dùng để xem, nộp và đồng bộ phụ lục; việc này cần đăng nhập bằng mật khẩu trên bảng điều khiển.',
    en: 'API tokens may only read, submit and sync; this needs a signed-in session.',
  },
  'auth.csrf': {
    status: 403,
    vi: 'Yêu cầu bị từ chối vì không đến từ trang của Phụ lục ({reason}). Hãy mở bảng điều khiển từ địa chỉ của máy chủ rồi thử lại.',
    en: 'Request refused as a possible cross-site request ({reasonEn}).',
  },
  'user.not-found': { status: 404, vi: 'Không tìm thấy tài khoản "{userId}".', en: 'User "{userId}" not found.' },
  'review.version-required': {
    status: 400,
    vi: 'Cần cho biết phiên bản bạn đã xem ("version") khi chấp nhận hoặc trả lại bài nộp.',
    en: 'Accept and return need the version the reviewer saw ("version").',
  },
  'google.sheet-owned': {
    status: 403,
    vi: 'Bảng tính Google này đã được một cơ quan khác nộp; mỗi bảng tính chỉ thuộc về cơ quan nộp nó lần đầu. Hãy nộp bảng tính của chính cơ quan bạn.',
    en: 'This Google spreadsheet belongs to the agency that first submitted it.',
  },
  'job.not-found': { status: 404, vi: 'Không tìm thấy việc "{jobId}".', en: 'Job "{jobId}" not found.' },
  'auth.forbidden': {
    status: 403,
    vi: 'Bạn không có quyền thực hiện thao tác này: {reason}',
    en: 'Forbidden: {reasonEn}',
  },
  'request.invalid': {
    status: 400,
    vi: 'Dữ liệu gửi lên không hợp lệ ở "{path}": {issue}',
    en: 'Invalid request body at "{path}": {issue}',
  },
  'request.invalid-json': {
    status: 400,
    vi: 'Nội dung gửi lên không phải JSON hợp lệ.',
    en: 'The request body is not valid JSON.',
  },
  'not-found': { status: 404, vi: 'Không tìm thấy địa chỉ {path}.', en: 'No route {path}.' },
  'token.not-found': { status: 404, vi: 'Không tìm thấy mã truy cập "{tokenId}".', en: 'Token "{tokenId}" not found.' },
  'user.exists': {
    status: 409,
    vi: 'Tên đăng nhập "{username}" đã có người dùng; chọn tên khác.',
    en: 'Username "{username}" is taken.',
  },
  'round.not-found': { status: 404, vi: 'Không tìm thấy đợt báo cáo "{roundId}".', en: 'Round "{roundId}" not found.' },
  'round.locked': {
    status: 409,
    vi: 'Đợt báo cáo "{title}" đã khóa; không thể nộp hoặc thay đổi. Liên hệ Sở Nội vụ nếu cần mở lại.',
    en: 'Round "{title}" is locked.',
  },
  'round.not-expected': {
    status: 403,
    vi: 'Cơ quan "{agencyName}" không thuộc danh sách cơ quan phải nộp của đợt "{title}".',
    en: 'Agency "{agencyName}" is not expected in round "{title}".',
  },
  'round.unknown-agency': {
    status: 400,
    vi: 'Mã cơ quan "{agencyId}" không có trong danh mục cơ quan của tỉnh.',
    en: 'Agency id "{agencyId}" is not in the province directory.',
  },
  'submission.not-found': {
    status: 404,
    vi: 'Không tìm thấy bài nộp "{submissionId}".',
    en: 'Submission "{submissionId}" not found.',
  },
  'version.not-found': {
    status: 404,
    vi: 'Bài nộp không có phiên bản số {version}.',
    en: 'The submission has no version {version}.',
  },
  'submission.stale': {
    status: 409,
    vi: 'Bản của bạn dựa trên phiên bản {baseVersion} nhưng đã có phiên bản mới hơn ({latestVersion}). Hãy tải bản mới nhất, đối chiếu rồi nộp lại.',
    en: 'Stale base version {baseVersion}: the latest version is {latestVersion}.',
  },
  'submission.conflict': {
    status: 409,
    vi: 'Có nhiều lần nộp cùng lúc; vui lòng nộp lại.',
    en: 'Concurrent submissions collided; please retry.',
  },
  'submission.no-file': {
    status: 400,
    vi: 'Chưa có tệp: gửi tệp trong trường "file" (multipart) hoặc JSON {"grids": [...]}.',
    en: 'No file: send a multipart "file" field or a JSON {"grids": [...]} body.',
  },
  'check.not-xlsx': {
    status: 400,
    vi: 'Chỉ tạo được bản đánh dấu cho tệp Excel (.xlsx); "{fileName}" không phải tệp Excel. Hãy lưu tệp dưới dạng .xlsx rồi tải lên lại.',
    en: 'A marked copy needs an Excel workbook (.xlsx); "{fileName}" is not one.',
  },
  'submission.too-large': {
    status: 413,
    vi: 'Tệp quá lớn: tối đa {limitMb} MB. Hãy xóa các trang tính không cần thiết hoặc hình ảnh rồi nộp lại.',
    en: 'File too large: the limit is {limitMb} MB.',
  },
  'submission.empty': {
    status: 422,
    vi: 'Tệp không có dữ liệu: mọi trang tính đều trống.',
    en: 'The file has no data: every sheet is empty.',
  },
  'submission.no-annex': {
    status: 422,
    vi: 'Không tìm thấy bảng phụ lục nhiệm vụ trong {where}. {hint}',
    en: 'No annex task table found in {where}.',
  },
  'submission.unsupported-source': {
    status: 400,
    vi: 'Hình thức nộp "{source}" chưa được hỗ trợ trên máy chủ này.',
    en: 'Submission source "{source}" is not supported on this server.',
  },
  'submission.not-agency': {
    status: 400,
    vi: 'Tài khoản chưa gắn với cơ quan nào; chọn cơ quan nộp (tham số agencyId).',
    en: 'The account has no agency; pass agencyId.',
  },
  'report.not-built': {
    status: 404,
    vi: 'Chưa tổng hợp báo cáo cho đợt này. Bấm "Tổng hợp báo cáo" trước khi tải về.',
    en: 'No consolidated report has been built for this round yet.',
  },
  'report.outdated': {
    status: 409,
    vi: 'Báo cáo tổng hợp gần nhất được lập bằng phiên bản phần mềm trước và chưa được lưu lại. Bấm "Tổng hợp báo cáo" để lập lại.',
    en: 'The last consolidated report was built by an earlier version and was not stored; build it again.',
  },
  'report.no-submissions': {
    status: 422,
    vi: 'Chưa có bài nộp nào{which} để tổng hợp.',
    en: 'No {whichEn} submissions to consolidate.',
  },
  'decision.unknown-group': {
    status: 409,
    vi: 'Nhóm nhiệm vụ "{group}" không có trong báo cáo tổng hợp gần nhất (nội dung nhiệm vụ có thể đã đổi). Bấm "Tổng hợp báo cáo" rồi chọn lại nhóm.',
    en: 'Group "{group}" is not in the last consolidated report; rebuild the report and choose again.',
  },
  'decision.not-found': {
    status: 404,
    vi: 'Không tìm thấy quyết định "{decisionId}" trong đợt báo cáo này.',
    en: 'Decision "{decisionId}" not found in this round.',
  },
  'decision.ended': {
    status: 409,
    vi: 'Quyết định này đã được hủy hoặc thay bằng quyết định khác. Tải lại trang để xem các quyết định đang áp dụng.',
    en: 'This decision was already undone or replaced.',
  },
  'decision.conflict': {
    status: 409,
    vi: 'Một người duyệt khác vừa quyết định nhóm này. Tải lại trang để xem quyết định đang áp dụng.',
    en: 'Another reviewer decided this group at the same moment; reload.',
  },
  'parse.busy': {
    status: 429,
    vi: 'Bạn đang có {waiting} lần nộp chờ máy chủ đọc; hãy chờ các lần nộp đó xong rồi gửi tiếp.',
    en: 'You already have {waiting} submissions waiting to be read; wait for them to finish.',
  },
  'parse.queue-full': {
    status: 503,
    vi: 'Máy chủ đang đọc quá nhiều tệp cùng lúc; vui lòng gửi lại sau ít phút.',
    en: 'The parse queue is full; retry in a few minutes.',
  },
  'feature.unavailable': {
    status: 503,
    vi: 'Chức năng "{feature}" chưa sẵn sàng trên máy chủ này.',
    en: 'Feature "{feature}" is not available on this server yet.',
  },
  'google.not-found': {
    status: 404,
    vi: 'Không tìm thấy bảng tính Google {what}.',
    en: 'Google spreadsheet {what} not found: {detail}',
    hint: 'Kiểm tra lại đường dẫn: mở bảng tính, bấm "Chia sẻ" › "Sao chép đường liên kết" và dán đường liên kết đó.',
  },
  'google.not-shared': {
    status: 403,
    vi: 'Máy chủ Phụ lục chưa được phép {verb} bảng tính Google {what}: bảng tính chưa được chia sẻ với tài khoản {email}.',
    en: 'Permission denied on Google spreadsheet {what} for {email}: {detail}',
    hint: 'Mở bảng tính, bấm "Chia sẻ", thêm {email} với quyền "Người xem" rồi nộp lại.',
  },
  'google.quota': {
    status: 429,
    vi: 'Google đang giới hạn số lượt truy cập bảng tính (vượt hạn mức); máy chủ đã thử lại nhưng chưa được.',
    en: 'Google Sheets quota exhausted after retries: {detail}',
    hint: 'Vui lòng thử lại sau khoảng một phút.',
  },
  'google.auth': {
    status: 502,
    vi: 'Máy chủ Phụ lục không đăng nhập được vào Google bằng tài khoản dịch vụ.',
    en: 'Google rejected the service-account credentials: {detail}',
    hint: 'Báo quản trị viên kiểm tra khóa tài khoản dịch vụ (GOOGLE_SERVICE_ACCOUNT_KEY).',
  },
  'google.unavailable': {
    status: 502,
    vi: 'Không kết nối được Google Trang tính lúc này.',
    en: 'Google Sheets request failed ({status}): {detail}',
    hint: 'Vui lòng thử lại sau; nếu vẫn lỗi, báo quản trị viên.',
  },
  'google.not-configured': {
    status: 503,
    vi: 'Máy chủ này chưa được cấu hình để làm việc với Google Trang tính.',
    en: 'Google Sheets is not configured on this server: {problem}',
    hint: 'Tải tệp lên (.xlsx) thay cho đường liên kết, hoặc báo quản trị viên cấu hình GOOGLE_SERVICE_ACCOUNT_KEY.',
  },
  'google.invalid-url': {
    status: 400,
    vi: '"{text}" không phải đường liên kết bảng tính Google.',
    en: 'Not a Google spreadsheet link: "{text}"',
    hint: 'Đường liên kết có dạng https://docs.google.com/spreadsheets/d/…/edit; mở bảng tính và sao chép địa chỉ trên thanh trình duyệt.',
  },
  // The spreadsheet's own tab names are never listed: the caller may not be entitled to see them.
  'google.sheet-not-found': {
    status: 422,
    vi: 'Bảng tính không có trang "{sheet}".',
    en: 'No sheet "{sheet}" in the spreadsheet.',
    hint: 'Gửi đúng tên trang tính chứa bảng phụ lục (trường "sheet"), hoặc đường liên kết mở đúng trang đó.',
  },
  'google.no-sheets': {
    status: 422,
    vi: 'Bảng tính Google không có trang tính nào.',
    en: 'The spreadsheet has no sheets.',
    hint: 'Mở bảng tính, kiểm tra rằng bảng phụ lục nằm trên một trang tính, rồi nộp lại.',
  },
  'sync.no-plan': {
    status: 409,
    vi: 'Đợt báo cáo "{round}" chưa gắn kế hoạch CCHC của tỉnh nên chưa có nhiệm vụ được giao.',
    en: 'Round "{round}" has no provincial plan attached.',
    hint: 'Sở Nội vụ gắn kế hoạch của tỉnh cho đợt báo cáo (PATCH /api/rounds/:roundId với planSubmissionId) rồi bấm lại "Nhận nhiệm vụ được giao".',
  },
  'sync.stale-base': {
    status: 409,
    vi: 'Bản của bạn được sửa từ phiên bản {baseVersion}, nhưng {who} đã gửi phiên bản {latestVersion}. Không có gì bị ghi đè: hãy đối chiếu từng nhiệm vụ (giữ bản của bạn, lấy bản trên máy chủ hoặc gộp từng trường) rồi gửi lại từ phiên bản {latestVersion}.',
    en: 'Stale base version {baseVersion}: the latest version is {latestVersion}; merge and push again.',
  },
  'sync.unknown-base': {
    status: 409,
    vi: 'Máy chủ chưa có bài nộp nào của {agency} trong đợt này, nên không có phiên bản {baseVersion} để đối chiếu.',
    en: 'No submission of this agency in the round: base version {baseVersion} does not exist.',
    hint: 'Gửi lại với phiên bản gốc 0 (lần nộp đầu tiên).',
  },
  'comment.not-found': {
    status: 404,
    vi: 'Bài nộp không có ý kiến "{commentId}".',
    en: 'Comment "{commentId}" not found in this submission.',
  },
  'template.unknown-province': {
    status: 404,
    vi: 'Không có danh mục cơ quan của tỉnh "{province}". Các mã tỉnh có danh mục: {known}.',
    en: 'No agency directory for province "{province}". Provinces with a directory: {known}.',
    hint: 'Ghi tên tỉnh như thường viết ("Khánh Hòa", "TP HCM") hoặc một mã trong danh sách.',
  },
  'template.province-merged': {
    status: 400,
    vi: 'Tỉnh {province} đã hợp nhất vào tỉnh {successor} từ ngày {since}; hãy tạo mẫu cho mã tỉnh "{successorId}".',
    en: '{province} merged into {successor} on {sinceEn}; make the template for province "{successorId}".',
  },
  'template.no-agencies': {
    status: 400,
    vi: 'Danh mục cơ quan của tỉnh {province} không có cơ quan nào tại ngày {date}{from}; hãy chọn ngày khác.',
    en: 'The directory of {province} has no agency on {dateEn}{from}; choose another date.',
  },
  'template.bad-year': {
    status: 400,
    vi: 'Năm kế hoạch "{year}" không hợp lệ; hãy ghi năm bốn chữ số, ví dụ 2026.',
    en: 'Plan year "{year}" is not valid; give a four-digit year, e.g. 2026.',
  },
  'template.bad-date': {
    status: 400,
    vi: 'Ngày "{date}" không hợp lệ; hãy ghi theo dạng năm-tháng-ngày, ví dụ {year}-01-01.',
    en: 'Date "{date}" is not valid; use year-month-day, e.g. {year}-01-01.',
  },
  internal: {
    status: 500,
    vi: 'Lỗi máy chủ. Vui lòng thử lại sau; nếu vẫn lỗi, báo quản trị viên kèm thời điểm xảy ra.',
    en: 'Internal server error.',
  },
} as const satisfies Record<string, ErrorText>;

/** CLI usage errors: printed as one line in each language on stderr. */
const USAGE = {
  'usage.no-command': {
    vi: 'Thiếu lệnh. Gõ "annex --help" để xem cách dùng.',
    en: 'Missing command. Run "annex --help" for usage.',
  },
  'usage.unknown-command': {
    vi: 'Lệnh "{command}" không tồn tại. Gõ "annex --help".',
    en: 'Unknown command "{command}". Run "annex --help".',
  },
  'usage.no-file': { vi: 'Thiếu tên tệp: annex {command} TỆP.', en: 'Missing file name: annex {command} FILE.' },
  'usage.bad-option': { vi: 'Tùy chọn không hợp lệ: {detail}.', en: 'Invalid option: {detail}.' },
  'usage.bad-year': {
    vi: 'Năm "{value}" không hợp lệ; ghi năm 4 chữ số, ví dụ --year 2025.',
    en: 'Invalid year "{value}"; use four digits, e.g. --year 2025.',
  },
  'usage.bad-province': {
    vi: 'Không nhận ra tỉnh/thành "{value}"; hãy ghi tên tỉnh/thành như "Khánh Hòa", "TP HCM" hoặc mã như "khanh-hoa". Các tỉnh/thành: {known}.',
    en: 'No province matches "{value}"; write its name ("Khánh Hòa", "TP HCM") or id ("khanh-hoa"). Provinces: {known}.',
  },
  'usage.bad-lang': {
    vi: 'Ngôn ngữ "{value}" không hỗ trợ; dùng --lang vi hoặc --lang en.',
    en: 'Language "{value}" is not supported; use --lang vi or --lang en.',
  },
  'usage.fix-not-xlsx': {
    vi: 'Tệp ra của --fix phải có đuôi .xlsx (đang là "{value}").',
    en: 'The --fix output must end in .xlsx (got "{value}").',
  },
  'usage.mark-not-xlsx': {
    vi: 'Tệp ra của --mark phải có đuôi .xlsx (đang là "{value}").',
    en: 'The --mark output must end in .xlsx (got "{value}").',
  },
  'usage.mark-input': {
    vi: 'Chỉ đánh dấu được tệp Excel (.xlsx); "{value}" không phải tệp Excel. Dùng --fix để ghi phụ lục ra tệp Excel mới.',
    en: 'Only an Excel workbook (.xlsx) can be marked; "{value}" is not one. Use --fix to write the annex as a new Excel file.',
  },
  'usage.fix-write': { vi: 'Không ghi được tệp "{value}": {detail}.', en: 'Could not write "{value}": {detail}.' },
  'usage.consolidate-format': {
    vi: 'Lệnh consolidate cần --out TỆP có đuôi .xlsx, .docx, .csv hoặc .json (đang là "{value}").',
    en: 'consolidate needs --out FILE ending in .xlsx, .docx, .csv or .json (got "{value}").',
  },
  'usage.export-format': {
    vi: 'Lệnh export cần --out TỆP có đuôi .docx, .xlsx hoặc .csv (đang là "{value}").',
    en: 'export needs --out FILE ending in .docx, .xlsx or .csv (got "{value}").',
  },
  'cli.internal': {
    vi: 'Lỗi nội bộ khi xử lý "{file}": {detail}. Vui lòng báo cho quản trị hệ thống.',
    en: 'Internal error while processing "{file}": {detail}. Please report it.',
  },
} as const satisfies Record<string, ErrorText>;

/** The sections, for the catalogue's own checks and docs; a code may appear in one section only. */
export const ERROR_SECTIONS = { input: INPUT, api: API, usage: USAGE } as const;
export const ERROR_CATALOGUE = { ...INPUT, ...API, ...USAGE } as const;
export type ErrorCode = keyof typeof ERROR_CATALOGUE;
export type InputErrorCode = keyof typeof INPUT;
export type ApiErrorCode = keyof typeof API;
export type UsageErrorCode = keyof typeof USAGE;
export const INPUT_ERROR_CODES = Object.keys(INPUT) as InputErrorCode[];

/** The texts of one code, whatever its section (a typed view over the const table). */
export function errorEntry(code: ErrorCode): ErrorText {
  return ERROR_CATALOGUE[code] as ErrorText;
}

/** Fills {placeholders}; unknown ones stay visible rather than vanish, so a missing parameter is noticed. */
export function fillErrorText(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const v = params[key];
    return v === undefined || v === null ? whole : String(v);
  });
}

export interface FilledError {
  code: ErrorCode;
  message: string;
  messageEn: string;
  hint?: string;
  hintEn?: string;
}

/** The code's texts filled with the parameters: `{x}` from params.x, and in English from params.xEn if given. */
export function fillError(code: ErrorCode, params: Record<string, unknown> = {}): FilledError {
  const e = errorEntry(code);
  const en: Record<string, unknown> = { ...params };
  for (const [k, v] of Object.entries(params)) if (k.endsWith('En')) en[k.slice(0, -2)] = v;
  const out: FilledError = {
    code,
    message: fillErrorText(e.vi, params).trim(),
    messageEn: fillErrorText(e.en, en).trim(),
  };
  if (e.hint !== undefined) out.hint = fillErrorText(e.hint, params);
  if (e.hintEn !== undefined) out.hintEn = fillErrorText(e.hintEn, en);
  return out;
}

/** HTTP status of an input error: too big → 413, not a format we read → 415, anything else 422. */
export function inputStatus(code: string): number {
  if (/too-large|bomb|limit-(rows|columns|cells|sheets|merge)|parse-memory/.test(code)) return 413;
  if (/unknown-type|zip-not-office|legacy-office|unsupported/.test(code)) return 415;
  return 422;
}
