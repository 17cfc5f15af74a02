// Types of runtime-stale.mjs (plain JavaScript so that it runs without a TypeScript loader).
export declare const INPUTS: string;
export declare function isStale(root: string, out?: string): boolean;
