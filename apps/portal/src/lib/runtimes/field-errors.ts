/**
 * The API reports an invalid input as "field: message". When the field is one a form shows, the
 * message goes next to that field; anything else stays a message for the whole form.
 */
export function splitFieldError<Field extends string>(
  message: string,
  fields: readonly Field[],
): { field: Field; message: string } | { field: null; message: string } {
  const match = /^([A-Za-z][A-Za-z0-9]*): (.+)$/s.exec(message);
  const field = match?.[1] as Field | undefined;
  if (match && field && fields.includes(field)) return { field, message: match[2]! };
  return { field: null, message };
}

/** Bytes in the largest unit that keeps at least one whole unit (1 KiB = 1024 bytes). */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}
