// shared/ compiles with no Node or DOM types; the WHATWG URL exists in every runtime the project
// targets (Node, Chromium, Electron), so shared/ may use this much of it.
declare class URL {
  constructor(url: string, base?: string | URL);
  static canParse(url: string, base?: string): boolean;
  readonly protocol: string;
  readonly host: string;
  readonly hostname: string;
  readonly port: string;
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
  readonly username: string;
  readonly password: string;
  readonly origin: string;
  href: string;
  toString(): string;
}
