// The manifest cannot be checked against Microsoft's XSD or online validator here, so: the official
// parser (office-addin-manifest) must read it, and the documented required elements are checked one by one.
import { describe, expect, it } from 'vitest';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser, type Element as El, type Node as XNode } from '@xmldom/xmldom';
import { OfficeAddinManifest } from 'office-addin-manifest';
import { rewriteManifestUrls, normalizeBase, ManifestUrlError } from '../../scripts/manifest-urls.js';

const XML = readFileSync('manifest.xml', 'utf8');
const NS = {
  app: 'http://schemas.microsoft.com/office/appforoffice/1.1',
  ov: 'http://schemas.microsoft.com/office/taskpaneappversionoverrides',
  bt: 'http://schemas.microsoft.com/office/officeappbasictypes/1.0',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
};

function doc(xml = XML) {
  return new DOMParser({
    onError: (level, msg) => {
      if (level !== 'warning') throw new Error(msg);
    },
  }).parseFromString(xml, 'text/xml');
}
const isEl = (n: XNode): n is El => n.nodeType === 1;
const kids = (el: El, ns: string, name: string): El[] =>
  Array.from(el.childNodes)
    .filter(isEl)
    .filter((n) => n.localName === name && n.namespaceURI === ns);
const one = (el: El, ns: string, name: string) => {
  const k = kids(el, ns, name);
  expect(k, `<${name}> under <${el.localName}>`).toHaveLength(1);
  return k[0];
};

describe('manifest.xml', () => {
  it('is read by office-addin-manifest', async () => {
    const info = await OfficeAddinManifest.readManifestFile('manifest.xml');
    expect(info.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    expect(info.displayName).toBe('Phụ lục CCHC');
    expect(info.defaultLocale).toBe('vi-VN');
    expect(info.officeAppType).toBe('TaskPaneApp');
    expect(info.hosts).toEqual(['Workbook']);
    expect(info.permissions).toBe('ReadWriteDocument');
    expect(info.defaultSettings?.sourceLocation).toBe('https://localhost:3000/addin/taskpane.html');
    expect(info.version).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('has the documented required elements of a TaskPaneApp, in schema order', () => {
    const root = doc().documentElement!;
    expect(root.localName).toBe('OfficeApp');
    expect(root.getAttributeNS(NS.xsi, 'type')).toBe('TaskPaneApp');
    const order = [
      'Id',
      'Version',
      'ProviderName',
      'DefaultLocale',
      'DisplayName',
      'Description',
      'IconUrl',
      'HighResolutionIconUrl',
      'SupportUrl',
      'AppDomains',
      'Hosts',
      'Requirements',
      'DefaultSettings',
      'Permissions',
      'VersionOverrides',
    ];
    const present = Array.from(root.childNodes)
      .filter(isEl)
      .map((n) => n.localName);
    expect(present).toEqual(order);
    for (const name of ['DisplayName', 'Description', 'IconUrl', 'HighResolutionIconUrl', 'SupportUrl']) {
      expect(one(root, NS.app, name).getAttribute('DefaultValue'), name).toBeTruthy();
    }
    expect(one(root, NS.app, 'Description').getAttribute('DefaultValue')!.length).toBeLessThanOrEqual(250);
    expect(one(root, NS.app, 'DisplayName').getAttribute('DefaultValue')!.length).toBeLessThanOrEqual(125);
    for (const name of ['IconUrl', 'HighResolutionIconUrl', 'SupportUrl']) {
      expect(one(root, NS.app, name).getAttribute('DefaultValue')).toMatch(/^https:\/\//);
    }
    const hosts = kids(one(root, NS.app, 'Hosts'), NS.app, 'Host');
    expect(hosts.map((x) => x.getAttribute('Name'))).toEqual(['Workbook']);
    const domains = kids(one(root, NS.app, 'AppDomains'), NS.app, 'AppDomain').map((d) => d.textContent);
    expect(domains).toContain('https://localhost:3000');
    expect(one(one(root, NS.app, 'DefaultSettings'), NS.app, 'SourceLocation').getAttribute('DefaultValue')).toBe(
      'https://localhost:3000/addin/taskpane.html',
    );
    expect(one(root, NS.app, 'Permissions').textContent).toBe('ReadWriteDocument');
  });

  it('asks for ExcelApi 1.8 and no more, so Excel 2019 loads it; newer features are detected at run time', () => {
    const root = doc().documentElement!;
    const sets = kids(one(one(root, NS.app, 'Requirements'), NS.app, 'Sets'), NS.app, 'Set');
    expect(sets.map((s) => [s.getAttribute('Name'), s.getAttribute('MinVersion')])).toEqual([['ExcelApi', '1.8']]);
    // No requirement set anywhere else (VersionOverrides may carry its own) raises the floor either.
    const all = Array.from(root.getElementsByTagName('*')).filter((e) => e.localName === 'Set');
    for (const s of all) expect(s.getAttribute('MinVersion'), s.getAttribute('Name')!).toBe('1.8');
  });

  it('has a ribbon button in VersionOverrides whose every resid resolves to a resource of the right kind', () => {
    const root = doc().documentElement!;
    const vo = one(root, NS.ov, 'VersionOverrides');
    expect(vo.getAttributeNS(NS.xsi, 'type')).toBe('VersionOverridesV1_0');
    const host = one(one(vo, NS.ov, 'Hosts'), NS.ov, 'Host');
    expect(host.getAttributeNS(NS.xsi, 'type')).toBe('Workbook');
    const dff = one(host, NS.ov, 'DesktopFormFactor');
    one(dff, NS.ov, 'FunctionFile');
    const ext = one(dff, NS.ov, 'ExtensionPoint');
    expect(ext.getAttributeNS(NS.xsi, 'type')).toBe('PrimaryCommandSurface');
    const control = vo.getElementsByTagNameNS(NS.ov, 'Control')[0];
    expect(control.getAttributeNS(NS.xsi, 'type')).toBe('Button');
    const action = one(control, NS.ov, 'Action');
    expect(action.getAttributeNS(NS.xsi, 'type')).toBe('ShowTaskpane');
    one(action, NS.ov, 'SourceLocation');

    const res = one(vo, NS.ov, 'Resources');
    const ids = (kind: string, item: string) =>
      new Map(
        kids(one(res, NS.bt, kind), NS.bt, item).map((e) => [e.getAttribute('id')!, e.getAttribute('DefaultValue')!]),
      );
    const images = ids('Images', 'Image');
    const urls = ids('Urls', 'Url');
    const shorts = ids('ShortStrings', 'String');
    const longs = ids('LongStrings', 'String');
    for (const v of shorts.values()) expect(v.length).toBeLessThanOrEqual(125);
    for (const v of longs.values()) expect(v.length).toBeLessThanOrEqual(250);
    const kindOf = (el: El): Map<string, string> => {
      const n = el.localName;
      if (n === 'Image') return images;
      if (n === 'FunctionFile' || n === 'SourceLocation' || n === 'LearnMoreUrl') return urls;
      if (n === 'Description') return longs;
      return shorts; // Label, Title
    };
    const withResid = Array.from(vo.getElementsByTagName('*')).filter((e) => e.getAttribute('resid'));
    expect(withResid.length).toBeGreaterThanOrEqual(10);
    for (const el of withResid) {
      const resid = el.getAttribute('resid')!;
      expect(resid.length, `resid ${resid} (max 32 chars)`).toBeLessThanOrEqual(32);
      expect(kindOf(el).has(resid), `<${el.localName} resid="${resid}"> resolves`).toBe(true);
    }
    expect(urls.get('Taskpane.Url')).toBe('https://localhost:3000/addin/taskpane.html');
    expect([...images.values()].every((u) => /\/addin\/icons\/icon-\d+\.png$/.test(u))).toBe(true);
  });

  it('moves every URL to another host and refuses plain http', async () => {
    const out = rewriteManifestUrls(XML, 'https://phuluc.tinh.gov.vn/');
    expect(out).not.toContain('localhost');
    expect(out).toContain('<SourceLocation DefaultValue="https://phuluc.tinh.gov.vn/addin/taskpane.html"/>');
    expect(out).toContain('<AppDomain>https://phuluc.tinh.gov.vn</AppDomain>');
    const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
    writeFileSync(join(dir, 'm.xml'), out);
    const info = await OfficeAddinManifest.readManifestFile(join(dir, 'm.xml'));
    expect(info.iconUrl).toBe('https://phuluc.tinh.gov.vn/addin/icons/icon-32.png');
    expect(rewriteManifestUrls(XML, 'https://localhost:3443')).toContain('https://localhost:3443/addin/commands.html');
    expect(() => normalizeBase('http://phuluc.tinh.gov.vn')).toThrow(ManifestUrlError);
    expect(() => normalizeBase('phuluc')).toThrow(/không hợp lệ/);
  });
});
