// Legacy Vietnamese encodings as data. Text typed with these fonts arrives in Unicode files as the
// Windows-1252/Latin-1 characters that share the byte values, so the tables map those characters.
// Sources: TCVN 5712:1993 (VN3 / "ABC", .VnTime fonts), the VNI-Windows font layout, Windows-1258.

/** TCVN3 (ABC): one Latin-1 character per Vietnamese letter. Upper-case toned letters use the
 *  lower-case codes in the capitals-only fonts (.VnTimeH), so they cannot be told apart here. */
export const TCVN3: Record<string, string> = {
  '\u00a1': 'Ă',
  '\u00a2': 'Â',
  '\u00a3': 'Ê',
  '\u00a4': 'Ô',
  '\u00a5': 'Ơ',
  '\u00a6': 'Ư',
  '\u00a7': 'Đ',
  '\u00a8': 'ă',
  '\u00a9': 'â',
  '\u00aa': 'ê',
  '\u00ab': 'ô',
  '\u00ac': 'ơ',
  '\u00ad': 'ư',
  '\u00ae': 'đ',
  '\u00b5': 'à',
  '\u00b6': 'ả',
  '\u00b7': 'ã',
  '\u00b8': 'á',
  '\u00b9': 'ạ',
  '\u00bb': 'ằ',
  '\u00bc': 'ẳ',
  '\u00bd': 'ẵ',
  '\u00be': 'ắ',
  '\u00c6': 'ặ',
  '\u00c7': 'ầ',
  '\u00c8': 'ẩ',
  '\u00c9': 'ẫ',
  '\u00ca': 'ấ',
  '\u00cb': 'ậ',
  '\u00cc': 'è',
  '\u00ce': 'ẻ',
  '\u00cf': 'ẽ',
  '\u00d0': 'é',
  '\u00d1': 'ẹ',
  '\u00d2': 'ề',
  '\u00d3': 'ể',
  '\u00d4': 'ễ',
  '\u00d5': 'ế',
  '\u00d6': 'ệ',
  '\u00d7': 'ì',
  '\u00d8': 'ỉ',
  '\u00dc': 'ĩ',
  '\u00dd': 'í',
  '\u00de': 'ị',
  '\u00df': 'ò',
  '\u00e1': 'ỏ',
  '\u00e2': 'õ',
  '\u00e3': 'ó',
  '\u00e4': 'ọ',
  '\u00e5': 'ồ',
  '\u00e6': 'ổ',
  '\u00e7': 'ỗ',
  '\u00e8': 'ố',
  '\u00e9': 'ộ',
  '\u00ea': 'ờ',
  '\u00eb': 'ở',
  '\u00ec': 'ỡ',
  '\u00ed': 'ớ',
  '\u00ee': 'ợ',
  '\u00ef': 'ù',
  '\u00f1': 'ủ',
  '\u00f2': 'ũ',
  '\u00f3': 'ú',
  '\u00f4': 'ụ',
  '\u00f5': 'ừ',
  '\u00f6': 'ử',
  '\u00f7': 'ữ',
  '\u00f8': 'ứ',
  '\u00f9': 'ự',
  '\u00fa': 'ỳ',
  '\u00fb': 'ỷ',
  '\u00fc': 'ỹ',
  '\u00fd': 'ý',
  '\u00fe': 'ỵ',
};

/**
 * Every VNI mark character has a lower and an upper form (the Latin-1 case pair: ù Ù, â Â, ô Ô); the VNI tables
 * list the lower form and get the upper one from it, with the same meaning or, for whole letters, the upper letter.
 */
function bothCases<T>(lower: Record<string, T>, upper: (v: T) => T = (v) => v): Record<string, T> {
  return Object.fromEntries(
    Object.entries(lower).flatMap(([k, v]) => [
      [k, v],
      [k.toUpperCase(), upper(v)],
    ]),
  );
}
const upperValue = (v: string) => v.toUpperCase();

/** VNI-Windows: a base letter followed by one mark character. Tone marks. */
export const VNI_TONES = bothCases<string>({
  '\u00f9': '\u0301', // ù Ù  sắc
  '\u00f8': '\u0300', // ø Ø  huyền
  '\u00fb': '\u0309', // û Û  hỏi
  '\u00f5': '\u0303', // õ Õ  ngã
  '\u00ef': '\u0323', // ï Ï  nặng
});
/**
 * VNI marks that add a shape (circumflex on a/e/o, breve on a), optionally with a tone: per shape, its mark alone,
 * then with sắc, huyền, hỏi, ngã and nặng.
 */
const VNI_SHAPE_MARKS = {
  circumflex: '\u00e2\u00e1\u00e0\u00e5\u00e3\u00e4',
  breve: '\u00ea\u00e9\u00e8\u00fa\u00fc\u00eb',
};
const SHAPE_TONES = [undefined, '\u0301', '\u0300', '\u0309', '\u0303', '\u0323'];
export const VNI_SHAPES = bothCases<{ shape: 'circumflex' | 'breve'; tone?: string }>(
  Object.fromEntries(
    (['circumflex', 'breve'] as const).flatMap((shape) =>
      [...VNI_SHAPE_MARKS[shape]].map((c, i) => [c, SHAPE_TONES[i] ? { shape, tone: SHAPE_TONES[i] } : { shape }]),
    ),
  ),
);
/** VNI characters that stand for a whole letter (no base letter before them). */
export const VNI_LETTERS = bothCases<string>(
  {
    '\u00f4': 'ơ', // ô → ơ
    '\u00f6': 'ư', // ö → ư
    '\u00f1': 'đ', // ñ → đ
    '\u00ed': 'í',
    '\u00ec': 'ì',
    '\u00e6': 'ỉ',
    '\u00f3': 'ĩ',
    '\u00f2': 'ị',
    '\u00ee': 'ỵ',
  },
  upperValue,
);

/** Windows-1258 bytes that differ from Windows-1252/Latin-1 (shown as the Latin-1 character). */
export const CP1258: Record<string, string> = {
  '\u00c3': 'Ă',
  '\u00e3': 'ă',
  '\u00d0': 'Đ',
  '\u00f0': 'đ',
  '\u00d5': 'Ơ',
  '\u00f5': 'ơ',
  '\u00dd': 'Ư',
  '\u00fd': 'ư',
  '\u00fe': '₫',
  '\u00cc': '\u0300', // combining grave
  '\u00ec': '\u0301', // combining acute
  '\u00d2': '\u0309', // combining hook above
  '\u00de': '\u0303', // combining tilde
  '\u00f2': '\u0323', // combining dot below
};
