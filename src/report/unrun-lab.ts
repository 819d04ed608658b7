// A lab of a matrix that could not run (image, start-up or Docker failure): an error in every report, never left out.
export interface UnrunLab {
  // `<lab> [<release>]`, as the matrix names its entries.
  key: string;
  message: string;
}

// The headline count every report opens with.
export function headline(passed: number, ran: number, unrun: readonly UnrunLab[]): string {
  const total = ran + unrun.length;
  return `${passed} of ${total} passed${unrun.length ? `, ${unrun.length} could not run` : ''}`;
}
