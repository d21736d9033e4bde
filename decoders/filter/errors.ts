// Display filter errors: a message in tshark 4.0's words plus the character range it is
// about, so the UI can underline it and the CLI can draw tshark's `^~~~` marker.

export class FilterError extends Error {
  constructor(
    message: string,
    /** First character of the offending text (0-based, UTF-16 units of the filter string). */
    readonly start: number,
    /** One past its last character (end === start when the problem is the end of the text). */
    readonly end: number,
  ) {
    super(message);
    this.name = 'FilterError';
  }

  toJSON(): { message: string; start: number; end: number } {
    return { message: this.message, start: this.start, end: this.end };
  }
}

/**
 * The error as tshark prints it: the message, then (when it points at some text) the filter
 * indented by four spaces and a `^~~~` line under the offending characters.
 */
export function formatFilterError(filter: string, err: FilterError, prefix = ''): string {
  const lines = [prefix + err.message];
  if (err.end > err.start && err.start < filter.length) {
    const len = Math.min(err.end, filter.length) - err.start;
    lines.push('    ' + filter);
    lines.push('    ' + ' '.repeat(err.start) + '^' + '~'.repeat(Math.max(0, len - 1)));
  }
  return lines.join('\n');
}
