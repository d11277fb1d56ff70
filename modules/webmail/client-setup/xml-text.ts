/** Text for an XML element or attribute value: the five characters XML gives meaning to, escaped. */
export function xmlText(value: string | number): string {
  return String(value).replace(/[<>&"']/g, (char) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[char]};`);
}
