import type { Services } from '../../services'
import type { RouteDef } from '../../web/routing'
import { qaCommendationRoutes } from './commendationRoutes'
import { qaFeedbackRoutes } from './feedbackRoutes'
import { qaQueueRoutes } from './queueRoutes'
import { qaReviewRoutes } from './reviewRoutes'
import { qaSettingsRoutes } from './settingsRoutes'

/**
 * The QA pages, one file per job: settings (settingsRoutes.ts), the queue (queueRoutes.ts), reviews and amendments
 * (reviewRoutes.ts), commendations (commendationRoutes.ts) and a Key Worker's feedback (feedbackRoutes.ts). Each
 * route checks its roles (requests.ts) and reads only the signed-in establishment's records.
 */
export function qaRoutes(s: Services): RouteDef[] {
  return [
    ...qaSettingsRoutes(s),
    ...qaQueueRoutes(s),
    ...qaReviewRoutes(s),
    ...qaCommendationRoutes(s),
    ...qaFeedbackRoutes(s),
  ]
}
