/** RFC 9457 problem details. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  /** Which request parameters were at fault, and why. */
  errors?: { param: string; detail: string }[];
  [extension: string]: unknown;
}

export function problem(body: Problem, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify({ type: 'about:blank', ...body }), {
    status: body.status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers },
  });
}
