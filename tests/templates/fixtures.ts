// Test data: realistic agency annexes built directly as model objects (validated by the zod schema),
// long enough to span several printed pages. Used where the point is layout, not reading.
import { AnnexSchema, type Annex, type AgencyRef } from '../../engine/model.js';
import { REFORM_AREAS, toRoman } from '../../engine/index.js';

const TASKS: Record<string, string[]> = {
  direction: [
    'Xây dựng, ban hành Kế hoạch cải cách hành chính năm {y}',
    'Tổ chức tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {y}',
    'Kiểm tra công tác cải cách hành chính tại các cơ quan, đơn vị',
    'Tuyên truyền cải cách hành chính trên Cổng thông tin điện tử',
  ],
  institution: [
    'Rà soát, hệ thống hóa văn bản quy phạm pháp luật thuộc lĩnh vực quản lý',
    'Theo dõi tình hình thi hành pháp luật trên địa bàn tỉnh',
    'Kiểm tra, xử lý văn bản quy phạm pháp luật trái pháp luật',
  ],
  procedure: [
    'Cải cách thủ tục hành chính: rà soát, đơn giản hóa thủ tục hành chính nội bộ',
    'Công bố, công khai thủ tục hành chính trên Cơ sở dữ liệu quốc gia',
    'Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính',
    'Thực hiện cơ chế một cửa, một cửa liên thông tại Trung tâm Phục vụ hành chính công',
  ],
  organization: [
    'Sắp xếp tổ chức bộ máy các cơ quan chuyên môn thuộc UBND tỉnh',
    'Rà soát chức năng, nhiệm vụ của các đơn vị sự nghiệp công lập',
  ],
  'civil-service': [
    'Xây dựng vị trí việc làm và cơ cấu ngạch công chức',
    'Đào tạo, bồi dưỡng cán bộ, công chức, viên chức năm {y}',
    'Tuyển dụng công chức, viên chức theo quy định',
  ],
  'public-finance': [
    'Giao quyền tự chủ tài chính cho các đơn vị sự nghiệp công lập',
    'Công khai ngân sách nhà nước theo quy định',
  ],
  'digital-government': [
    'Nâng cấp Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh',
    'Triển khai dịch vụ công trực tuyến toàn trình',
    'Bảo đảm an toàn thông tin mạng cho hệ thống thông tin của tỉnh',
  ],
};

const AGENCIES = [
  'Sở Nội vụ',
  'Sở Tư pháp',
  'Sở Tài chính',
  'Sở Khoa học và Công nghệ',
  'Văn phòng UBND tỉnh',
  'Sở Giáo dục và Đào tạo',
];
const TIMELINES = ['Quý I/{y}', 'Quý II/{y}', 'Trước 30/6/{y}', 'Tháng 9/{y}', 'Năm {y}', 'Thường xuyên'];

const ref = (name: string): AgencyRef => ({ text: name, name, kind: 'agency' });

/**
 * An annex of `repeat` rounds of the task list above (≈ 21 tasks per round, 1–3 products each),
 * attributed to `agency` as lead for every other task.
 */
export function fixtureAnnex(opts: { year?: number; agency?: string; repeat?: number; sheet?: string } = {}): Annex {
  const y = opts.year ?? 2026;
  const sheet = opts.sheet ?? 'Phụ lục';
  const repeat = opts.repeat ?? 1;
  let row = 6;
  let k = 0;
  const sections = REFORM_AREAS.map((a, si) => {
    const sectionRow = row++;
    const tasks = [];
    let n = 0;
    for (let r = 0; r < repeat; r++) {
      for (const base of TASKS[a.code]) {
        n++;
        k++;
        const text = base.replace('{y}', String(y)) + (r ? ` (đợt ${r + 1})` : '');
        const lead = opts.agency && k % 2 === 0 ? opts.agency : AGENCIES[k % AGENCIES.length];
        const support = AGENCIES[(k + 2) % AGENCIES.length];
        const first = row;
        const products = Array.from({ length: 1 + (k % 3) }, (_, p) => ({
          number: `${n}.${p + 1}.`,
          text: ['Kế hoạch được phê duyệt', 'Báo cáo kết quả thực hiện', 'Văn bản hướng dẫn'][p],
          lead: [],
          support: [],
          source: { sheet, row: row++, column: 3 },
        }));
        const timelineText = TIMELINES[k % TIMELINES.length].replace('{y}', String(y));
        tasks.push({
          number: String(n),
          task: text,
          products,
          lead: [ref(lead)],
          support: [ref(support)],
          timeline: {
            kind: timelineText === 'Thường xuyên' ? ('recurring' as const) : ('period' as const),
            text: timelineText,
          },
          source: { sheet, row: first },
          rows: products.map((p) => p.source.row),
        });
      }
    }
    return { numeral: toRoman(si + 1), title: a.title, area: a.code, source: { sheet, row: sectionRow }, tasks };
  });
  return AnnexSchema.parse({
    meta: {
      planYear: y,
      docType: 'KH',
      docNumber: '15/KH-SNV',
      docDate: `${y}-01-08`,
      issuer: opts.agency ?? 'Sở Nội vụ',
    },
    sections,
  });
}

/** A province of data/agencies with its own agencies (not only shared groups) at `date`. */
export async function provinceWithAgencies(date = '2026-01-01'): Promise<string> {
  const { provinces, defaultDirectory } = await import('../../data/index.js');
  const dir = defaultDirectory();
  const id = provinces.map((p) => p.id).find((p) => dir.agencies(p, date).filter((a) => a.kind !== 'group').length > 5);
  if (!id) throw new Error(`no province with agencies at ${date} in data/agencies`);
  return id;
}
