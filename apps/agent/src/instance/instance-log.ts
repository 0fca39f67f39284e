/** The part of a pino logger the instance layer uses (object first, then the message). */
export interface InstanceLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
