// Words the generated bench annexes are made of, shared by the benches whose tables must read like real ones.
// Each bench keeps its own lists where its figures depend on their exact size (distinct texts, shared strings).

/** Task verbs of the engine and reader benches' annexes. */
export const TASK_VERBS = [
  'Rà soát',
  'Triển khai',
  'Tổ chức',
  'Kiểm tra',
  'Xây dựng',
  'Nâng cao chất lượng',
  'Theo dõi, đôn đốc',
  'Tuyên truyền',
];

/** Lead agencies of the generated annexes (each is in the bundled directory of every province). */
export const PROVINCE_AGENCIES = [
  'Sở Nội vụ',
  'Sở Tư pháp',
  'Văn phòng UBND tỉnh',
  'Sở Tài chính',
  'Sở Khoa học và Công nghệ',
  'Sở Y tế',
];
