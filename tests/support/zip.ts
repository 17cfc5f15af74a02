// What an xlsx or docx download holds, part by part: for tests that compare two downloads of the same report.
import JSZip from 'jszip';

/** Every part's text by name, without docProps/core.xml (it records the file's creation time). */
export async function zipParts(bytes: Uint8Array): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(bytes);
  const out: Record<string, string> = {};
  for (const name of Object.keys(zip.files).sort())
    if (name !== 'docProps/core.xml') out[name] = await zip.files[name].async('string');
  return out;
}
