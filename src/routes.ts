import { allocationRoutes } from './features/allocations/routes'
import { auditRoutes } from './features/audit/routes'
import { authRoutes } from './features/auth/routes'
import { ssoRoutes } from './features/sso/routes'
import { directoryRoutes } from './features/directory/routes'
import { hsdsRoutes } from './features/directory/hsds/routes'
import { termRoutes } from './features/directory/hsds/termRoutes'
import { apiTokenRoutes, hsdsApiRoutes } from './features/directory/hsds/api'
import { trialsRoutes } from './features/trials/routes'
import { hmppsSyncRoutes, isHmppsEvents } from './features/hmppsSync/routes'
import { establishmentRoutes } from './features/establishments/routes'
import { trainingRulesRoutes } from './features/trainingRules/routes'
import { guidanceRoutes } from './features/guidance/routes'
import { homeRoutes } from './features/home/routes'
import { hubRoutes } from './features/hubs/routes'
import { importRoutes } from './features/import/routes'
import { nationalRoutes } from './features/national/routes'
import { notifyRoutes } from './features/notify/routes'
import { caseNotesRoutes } from './features/caseNotes/routes'
import { planningRoutes } from './features/planning/routes'
import { prisonerRoutes } from './features/prisoners/routes'
import { referralRoutes } from './features/referrals/routes'
import { rubricRoutes } from './features/rubric/routes'
import { trainingRoutes } from './features/training/routes'
import { qaRoutes } from './features/qa/routes'
import { noticeRoutes } from './features/notices/routes'
import { integrityRoutes } from './features/integrity/routes'
import { courseRoutes } from './features/courses/routes'
import { supervisionRoutes } from './features/supervision/routes'
import { isXapi, trainingRecordsRoutes } from './features/trainingRecords/routes'
import { apiV1Routes, isApiV1 } from './features/apiV1/routes'
import { journalRoutes } from './features/journal/routes'
import { recruitmentRoutes } from './features/recruitment/routes'
import { dataProtectionRoutes } from './features/dataProtection/routes'
import { handoverRoutes } from './features/handover/routes'
import { bulletinsRoutes } from './features/bulletins/routes'
import { trainingRemindersRoutes } from './features/trainingReminders/routes'
import { goodPracticeRoutes } from './features/goodPractice/routes'
import { surveyRoutes } from './features/survey/routes'
import { practiceExchangeRoutes } from './features/practiceExchange/routes'
import { staffRoutes } from './features/staff/routes'
import { statisticsRoutes } from './features/statistics/routes'
import { qualityRoutes } from './features/quality/routes'
import { trainingDashboardRoutes } from './features/trainingDashboard/routes'
import { calibrationRoutes } from './features/calibration/routes'
import { timelineRoutes } from './features/timeline/routes'
import { unitRoutes } from './features/units/routes'
import { userRoutes } from './features/users/routes'
import { worksheetRoutes } from './features/worksheets/routes'
import { sessionRoutes } from './features/sessions/routes'
import { keepUnsavedEntry } from './features/sessions/unsaved'
import { statusPage } from './features/status/routes'
import type { Services } from './services'
import type { MenuItem } from './web/menu'
import type { AppParts } from './web/parts'
import type { RouteDef } from './web/routing'

/** Every route of the application, each with its access rule. The access-matrix test walks this list. */
export function routes(s: Services): RouteDef[] {
  return [
    ...authRoutes(s),
    ...ssoRoutes(s),
    ...homeRoutes(s),
    ...establishmentRoutes(s),
    ...trainingRulesRoutes(s),
    ...nationalRoutes(s),
    ...prisonerRoutes(s),
    ...unitRoutes(s),
    ...staffRoutes(s),
    ...userRoutes(s),
    ...auditRoutes(s),
    ...allocationRoutes(s),
    ...sessionRoutes(s),
    ...hubRoutes(s),
    ...planningRoutes(s),
    ...importRoutes(s),
    ...directoryRoutes(s),
    ...guidanceRoutes(s),
    ...worksheetRoutes(s),
    ...hsdsRoutes(s),
    ...termRoutes(s),
    ...hsdsApiRoutes(s),
    ...apiTokenRoutes(s),
    ...apiV1Routes(s),
    ...referralRoutes(s),
    ...rubricRoutes(s),
    ...trainingRoutes(s),
    ...qaRoutes(s),
    ...noticeRoutes(s),
    ...supervisionRoutes(s),
    ...trainingRecordsRoutes(s),
    ...journalRoutes(s),
    ...recruitmentRoutes(s),
    ...dataProtectionRoutes(s),
    ...handoverRoutes(s),
    ...bulletinsRoutes(s),
    ...trainingRemindersRoutes(s),
    // before the library's /good-practice/:goodPracticeId, which would take /good-practice/shared
    ...practiceExchangeRoutes(s),
    ...surveyRoutes(s),
    ...goodPracticeRoutes(s),
    ...notifyRoutes(s),
    ...caseNotesRoutes(s),
    ...timelineRoutes(s),
    ...statisticsRoutes(s),
    ...qualityRoutes(s),
    ...trainingDashboardRoutes(s),
    ...calibrationRoutes(s),
    ...integrityRoutes(s),
    ...courseRoutes(s),
    ...trialsRoutes(s),
    ...hmppsSyncRoutes(s),
  ]
}

/** The HSDS API (features/directory/hsds/api.ts), whose every answer is JSON and which authenticates its callers. */
export const isHsdsApi = (req: { path: string }) => req.path === '/api/hsds' || req.path.startsWith('/api/hsds/')

/**
 * The menu: each role's everyday work, on one row at 1,280 px (a browser test checks it). Each link shows to whoever
 * may use its route; `for` keeps a link to those whose everyday work it is (the national team reaches referrals and
 * staff, and those who do not book hubs reach hubs, from the home page, with settings, units, users, emails, audit).
 */
export const MENU: MenuItem[] = [
  { text: 'Home', href: '/' },
  { text: 'National overview', href: '/national', sections: ['/establishments'] },
  { text: 'My caseload', href: '/caseload' },
  { text: 'My sessions', href: '/my-sessions' },
  { text: 'Feedback', href: '/my-feedback', for: ['KEY_WORKER'] },
  { text: 'Sessions due', href: '/sessions-due' },
  { text: 'Referrals', href: '/referrals', for: ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] },
  { text: 'Allocate', href: '/allocate' },
  { text: 'Statistics', href: '/statistics' },
  { text: 'Quality', href: '/quality', sections: ['/quality'] },
  { text: 'Prisoners', href: '/prisoners' },
  { text: 'Staff', href: '/staff', for: ['ESTABLISHMENT_ADMIN'] },
  { text: 'Import', href: '/import' },
  { text: 'Services', href: '/directory' },
  { text: 'Hubs', href: '/hubs', for: ['KEY_WORKER'] },
  { text: 'Guidance', href: '/guidance', sections: ['/booklet', '/worksheets'] },
  // Supervising Officers' and admins' menus are full at 1,280 px: they reach training from the home page
  { text: 'Training', href: '/training', sections: ['/training', '/journal'], for: ['KEY_WORKER', 'NATIONAL_POLICY'] },
]

/** What the features give the web application. */
export function appParts(s: Services): AppParts {
  return {
    routes: routes(s),
    menu: MENU,
    statusPage: statusPage(s),
    returnAfterSignIn: keepUnsavedEntry,
    // the HSDS API, the xAPI statements (features/trainingRecords) and the API for other services (features/apiV1):
    // JSON, their own bearer tokens
    // and the HMPPS events a queue listener posts (features/hmppsSync, its shared secret)
    isApi: req => isHsdsApi(req) || isXapi(req) || isApiV1(req) || isHmppsEvents(req),
    // the public check of a training certificate: no sign-in
    isPublicPage: req => req.path === '/certificates/verify',
  }
}
