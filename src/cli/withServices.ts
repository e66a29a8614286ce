import { loadConfig } from '../config'
import { type Services, startServices } from '../services'

/** Runs a command with migrated services, and closes the database afterwards. */
export async function withServices<T>(fn: (s: Services) => Promise<T>): Promise<T> {
  const services = await startServices(loadConfig())
  try {
    return await fn(services)
  } finally {
    await services.close()
  }
}
