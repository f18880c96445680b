// Types for scripts/electronegativity.mjs (run by node as is), for test/electronegativity.test.ts.
export interface Finding {
  readonly id: string;
  readonly severity: string;
  readonly confidence: string;
  readonly file: string;
  readonly line: number;
}
export interface Reviewed {
  readonly id: string;
  readonly file: string;
  readonly count: number;
  readonly reason: string;
}
export interface Verdict {
  readonly incomplete: boolean;
  readonly failures: readonly Finding[];
  readonly accepted: readonly Finding[];
  readonly findings: readonly Finding[];
}
export declare const REVIEWED: readonly Reviewed[];
export declare function parseCsv(text: string): Finding[];
export declare function parseSarif(text: string): { id: string; file: string }[];
export declare function judge(csvText: string, sarifText: string, reviewed?: readonly Reviewed[]): Verdict;
