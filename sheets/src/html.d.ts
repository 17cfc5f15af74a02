// The sidebar HTML is bundled as a string (esbuild text loader).
declare module '*.html' {
  const html: string;
  export default html;
}
