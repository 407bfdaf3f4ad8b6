/** Numbers in prose and tables: 12,000 (as the notebooks' text writes them), and "1 image" / "2 images". */

/** "12000" -> "12,000", "1234.5" -> "1,234.5"; anything else (exponents, NaN) unchanged. */
export function groupThousands(text: string): string {
  return text.replace(
    /^(-?)(\d{4,})(?=\.\d+$|$)/,
    (_, sign: string, whole: string) => sign + whole.replace(/\B(?=(\d{3})+$)/g, ","),
  );
}

export function thousands(n: number): string {
  return groupThousands(String(n));
}

export function countOf(n: number, noun: string): string {
  return `${thousands(n)} ${noun}${n === 1 ? "" : "s"}`;
}
