/**
 * The dashboard handshake, made safe: what state the iframe is in (pure, `now` passed in), and a guard that
 * keeps a handshake whose token is not a JWT away from app-sdk, which decodes it inside its message listener
 * (an uncaught error and a page stuck on "Connecting…").
 */
import { decodeJwt } from "jose";

/** How long to wait for the dashboard's handshake before saying so (app-sdk waits as long for a response). */
export const HANDSHAKE_TIMEOUT_MS = 10_000;
/** A token counts as expired this long after its `exp` (browser and Saleor clocks differ a little). */
export const EXPIRY_LEEWAY_MS = 120_000;

export type TokenCheck = { ok: true; expiresAt: number | null } | { ok: false; problem: string };

/** Decodes (does not verify: the app's backend does) a dashboard token, as app-sdk will. */
export function readToken(token: unknown): TokenCheck {
  if (typeof token !== "string" || token.trim() === "") return { ok: false, problem: "the dashboard sent no token" };
  try {
    const claims = decodeJwt(token);
    return { ok: true, expiresAt: typeof claims.exp === "number" ? claims.exp * 1000 : null };
  } catch {
    return { ok: false, problem: "the token is not a JWT" };
  }
}

export type Connection =
  | { state: "outsideDashboard" }
  | { state: "noApiUrl" }
  | { state: "connecting" }
  | { state: "noAnswer" }
  | { state: "badToken"; problem: string }
  | { state: "expired" }
  | { state: "ready" };

export type ConnectionInput = {
  framed: boolean;
  saleorApiUrl: string | undefined;
  ready: boolean;
  token: string | undefined;
  /** Set by the guard when it held back a handshake. */
  rejected: string | null;
  now: number;
  startedAt: number;
};

export function connectionState(input: ConnectionInput): Connection {
  if (!input.framed) return { state: "outsideDashboard" };
  if (!input.saleorApiUrl) return { state: "noApiUrl" };
  if (input.ready && input.token) {
    const token = readToken(input.token);
    if (!token.ok) return { state: "badToken", problem: token.problem };
    if (token.expiresAt !== null && token.expiresAt + EXPIRY_LEEWAY_MS < input.now) return { state: "expired" };
    return { state: "ready" };
  }
  if (input.rejected) return { state: "badToken", problem: input.rejected };
  if (input.now - input.startedAt >= HANDSHAKE_TIMEOUT_MS) return { state: "noAnswer" };
  return { state: "connecting" };
}

/** Remembers why a handshake was held back; components subscribe to it (useSyncExternalStore). */
export class HandshakeGuard {
  private problem: string | null = null;
  private listeners = new Set<() => void>();

  /**
   * Listens in the capture phase, which runs before app-sdk's listener on the same window, and stops a
   * handshake from `origin` whose token would not decode.
   */
  install(target: Window, origin: string | undefined): () => void {
    const listener = (event: MessageEvent) => {
      if (!origin || event.origin !== origin) return;
      const data = event.data as { type?: unknown; payload?: { token?: unknown } } | null;
      if (!data || data.type !== "handshake") return;
      const token = readToken(data.payload?.token);
      if (token.ok) return;
      event.stopImmediatePropagation();
      this.reject(token.problem);
    };
    target.addEventListener("message", listener, { capture: true });
    return () => target.removeEventListener("message", listener, { capture: true });
  }

  reject(problem: string): void {
    this.problem = problem;
    this.listeners.forEach((listener) => listener());
  }

  readonly rejected = (): string | null => this.problem;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
