/** One offending field of a request: `{field: "tradingModes.Swing", message: "must be a boolean"}`. */
export interface FieldError {
  field: string;
  message: string;
}
