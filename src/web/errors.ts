export class HttpError extends Error {
  constructor(
    readonly status: number,
    message?: string,
  ) {
    super(message ?? `HTTP ${status}`)
  }
}

export const notFound = () => new HttpError(404)
