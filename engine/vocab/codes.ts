// The closed lists of the vocabulary: reform-area codes and annex fields. engine/model.ts builds its zod enums
// from these, so a code is added in one place (here, then its title and aliases in data/*.json).

/** Reform areas of Nghị quyết 76/NQ-CP (titles in data/reform-areas.json). */
export const AREA_CODES = [
  'direction', // Công tác chỉ đạo, điều hành
  'institution', // Cải cách thể chế
  'procedure', // Cải cách thủ tục hành chính
  'organization', // Cải cách tổ chức bộ máy
  'civil-service', // Cải cách chế độ công vụ
  'public-finance', // Cải cách tài chính công
  'digital-government', // Xây dựng, phát triển Chính phủ điện tử, Chính phủ số
] as const;
export type AreaCode = (typeof AREA_CODES)[number];

/** What a header column means (headers and aliases in data/layouts/columns.json). */
export const FIELDS = [
  'number', // STT / TT
  'task', // Nhiệm vụ
  'product', // Sản phẩm / Kết quả
  'lead', // Cơ quan chủ trì
  'support', // Cơ quan phối hợp
  'assignment', // Phân công (lead + support in one free-text column)
  'timeline', // Thời gian / Tiến độ
  'monitor', // Theo dõi, kiểm tra, đôn đốc
  'approval', // Cấp ban hành/phê duyệt
  'note', // Ghi chú
  'id', // hidden stable task id column (two-way sync)
] as const;
export type Field = (typeof FIELDS)[number];
