import pino from 'pino'
import type { Config } from './config'
import { type Db, openDatabase } from './platform/db/database'
import { migrateToLatest } from './platform/db/migrate'
import { withStartLock } from './platform/jobs'
import { autoAllocationService } from './features/allocations/auto'
import { coverService } from './features/allocations/cover'
import { rebalanceService } from './features/allocations/rebalance'
import { allocationsService } from './features/allocations/service'
import { auditService } from './platform/audit/service'
import { demoService } from './demo/load/service'
import { directoryService } from './features/directory/service'
import { hsdsService } from './features/directory/hsds/service'
import { tokensService } from './features/directory/hsds/tokens'
import { apiClientsService } from './features/apiV1/service'
import { mailerService } from './platform/notify/mailer'
import { nationalService } from './features/national/service'
import { referralsService } from './features/referrals/service'
import { supervisionService } from './features/supervision/service'
import { coursesService } from './features/courses/service'
import { journalService } from './features/journal/service'
import { goodPracticeService } from './features/goodPractice/service'
import { recruitmentService } from './features/recruitment/service'
import { dataProtectionService } from './features/dataProtection/service'
import { handoverService } from './features/handover/service'
import { practiceExchangeService } from './features/practiceExchange/service'
import { noticesService } from './features/notices/service'
import { qaService } from './features/qa/service'
import { calibrationService } from './features/calibration/service'
import { qualityService } from './features/quality/service'
import { rubricService } from './features/rubric/service'
import { trainingService } from './features/training/service'
import { integrityService } from './features/integrity/service'
import { timelineService } from './features/timeline/service'
import { type SurveyOutcomes, trialsService } from './features/trials/service'
import { sessionsService } from './features/sessions/service'
import { establishmentsService } from './features/establishments/service'
import { guidanceService } from './features/guidance/service'
import { hubsService } from './features/hubs/service'
import { planningService } from './features/planning/service'
import { importService } from './features/import/service'
import { prisonersService } from './features/prisoners/service'
import { staffService } from './features/staff/service'
import { statisticsService } from './features/statistics/service'
import { unitsService } from './features/units/service'
import { usersService } from './features/users/service'
import { worksheetsService } from './features/worksheets/service'
import { bulletinsService } from './features/bulletins/service'
import { trainingRemindersService } from './features/trainingReminders/service'
import { trainingRecordsService } from './features/trainingRecords/service'
import { trainingRulesService } from './features/trainingRules/service'
import { trainingDashboardService } from './features/trainingDashboard/service'
import { surveyService } from './features/survey/service'
import { ssoService } from './features/sso/service'
import { caseNotesService } from './features/caseNotes/service'
import { hmppsSyncService } from './features/hmppsSync/service'

/** Composition root: every repository and service, built once over one database. No DI container. */
export function buildServices(config: Config, db: Db = openDatabase(config.database)) {
  const logger = pino({ level: config.logLevel, base: { service: 'keywork' } })
  const audit = auditService(db.db, db.dialect)
  const users = usersService(db.db, audit)
  // allocations depends on prisoners, so prisoners reaches it through a hook; called only after both exist
  const units = unitsService(db.db, audit)
  const prisoners = prisonersService(db.db, audit, {
    units,
    hooks: { onPrisonerChanged: (trx, actor, change) => allocations.prisonerChanged(trx, actor, change) },
  })
  const staff = staffService(db.db, audit, { units })
  const establishments = establishmentsService(db.db, audit)
  // training rules (issue 16): national policy and local settings; allocation asks it who has done the initial course
  const trainingRules = trainingRulesService(db.db, { audit })
  const allocations = allocationsService(db.db, { audit, establishments, prisoners, staff, training: trainingRules })
  const autoAllocation = autoAllocationService(db.db, { audit, establishments, training: trainingRules })
  const statistics = statisticsService(db, { establishments })
  const hubs = hubsService(db, { audit })
  const planning = planningService(db, { audit, establishments, staff, hubs })
  const directory = directoryService(db.db, { audit })
  // email (GOV.UK Notify when configured, always the outbox) and referrals, which sessions call on submit
  const mailer = mailerService(db.db, { audit, notify: config.notify, logger })
  const referrals = referralsService(db.db, { audit, mailer, directory, establishments, statistics, logger })
  // bulletins (issue 17): what the national team publishes reaches officers; a new guide version or national
  // worksheet announces itself in its own transaction
  const bulletins = bulletinsService(db.db, { audit, mailer })
  const worksheets = worksheetsService(db.db, {
    audit,
    announce: (trx, actor, w) =>
      bulletins.announce(trx, actor, {
        kind: 'worksheet',
        title: `New worksheet: ${w.title}`,
        summary: w.purpose,
        link: `/worksheets/${w.id}`,
        worksheetId: w.id,
      }),
  })
  // the quality rubric: sessions store the pre-check against it; the QA features score against it
  const rubric = rubricService(db.db, { audit, dialect: db.dialect })
  // the national training programme (versions, modules, contributors) and each establishment's local modules
  const training = trainingService(db.db, { audit, dialect: db.dialect })
  // quality assurance (issue 15): the SOs' sample, reviews and commendations; officers are told in the service
  const notices = noticesService(db.db, { audit })
  const qa = qaService(db.db, {
    audit,
    mailer,
    notices,
    rubric,
    // an integrity flag raises an entry into the sample (integrity is built further down, and called only later)
    integrity: { flaggedSessionIds: (id, from, to) => integrity.flaggedSessionIds(id, from, to) },
    logger,
  })
  // calibration (several SOs marking the same entries blind) and the quality dashboard, which reads it
  const calibration = calibrationService(db.db, { audit, rubric, qa, notices })
  const guidance = guidanceService(db.db, {
    audit,
    worksheets,
    servicesForBooklet: id => directory.servicesForBooklet(id),
    announce: (trx, actor, v) =>
      bulletins.announce(trx, actor, {
        kind: 'guide',
        title: `Key Worker guide: version ${v.version}`,
        summary: v.summary,
        link: `/guidance/changes?version=${v.version}`,
        guideVersion: v.version,
      }),
  })
  // integrity flags (issue 15): sessions call its checks in the transaction of each submit and amendment
  const integrity = integrityService(db.db, { audit })
  // key work case notes (issue 18): sessions queue a note in the transaction of each submit and amendment
  const caseNotes = caseNotesService(db.db, config, { audit, logger })
  const sessions = sessionsService(db.db, {
    caseNotes,
    integrity,
    audit,
    prisoners,
    staff,
    establishments,
    directory,
    worksheets,
    hubs,
    statistics,
    referrals,
    rubric,
    logger,
  })
  // training records (issue 16): completions (append-only), certificates, status; courses record through it
  const trainingRecords = trainingRecordsService(db.db, {
    audit,
    rulesFor: id => trainingRules.rulesFor(id),
    moduleByCode: (code, establishmentId) => training.moduleByCode(code, establishmentId),
    modulesFor: id => training.modulesFor(id),
    // built in the object below, and called only once it exists
    journalMinutes: (ids, from, to) => services.journal.minutesFor(ids, from, to),
    assignmentsFor: (staffId, establishmentId) => services.trainingReminders.assignmentsFor(staffId, establishmentId),
  })
  const services = {
    config,
    logger,
    db,
    audit,
    sso: ssoService(db.db, audit, config.oidc),
    // the roll from Prisoner Search and the HMPPS movement events (issue 18): off until configured
    hmppsSync: hmppsSyncService(db.db, { audit, prisoners, establishments, units, logger, config }),
    establishments,
    users,
    prisoners,
    units,
    staff,
    imports: importService(db.db, { audit, prisoners, units, staff, statistics }),
    demo: demoService(db, { audit, users, directory, hubs, guidance, planning, prisoners }),
    hubs,
    planning,
    directory,
    mailer,
    referrals,
    timeline: timelineService(db.db, { audit, prisoners, allocations }),
    national: nationalService(db, {
      audit,
      establishments,
      statistics,
      trainingDashboard: trainingDashboardService(db, { trainingRules }),
    }),
    sessions,
    caseNotes,
    hsds: hsdsService(db.db, audit),
    hsdsTokens: tokensService(db.db, audit),
    // clients of the API for other services (/api/v1): client credentials, scopes, establishments
    apiClients: apiClientsService(db.db, { audit, establishments }),
    guidance,
    worksheets,
    bulletins,
    autoAllocation,
    cover: coverService(db.db, { audit, autoAllocation }),
    rebalance: rebalanceService(db.db, {
      audit,
      establishments,
      autoAllocation,
      lastSessions: id => sessions.lastDelivered(id),
    }),
    allocations,
    // trials and evaluation (issue 17): interventions, outcome counts, difference-in-differences reports
    trials: trialsService(db.db, {
      audit,
      establishments,
      // the staff survey's questions as outcomes (built further down, and called only once it exists)
      survey: {
        outcomeQuestions: (): ReturnType<SurveyOutcomes['outcomeQuestions']> => services.survey.outcomeQuestions(),
        establishmentMeans: (code): ReturnType<SurveyOutcomes['establishmentMeans']> =>
          services.survey.establishmentMeans(code),
      },
    }),
    statistics,
    rubric,
    notices,
    qa,
    integrity,
    calibration,
    quality: qualityService(db, { statistics, calibration }),
    // training courses (issue 16): enrolment with a waiting list, registers, completion into training records
    courses: coursesService(db.db, {
      audit,
      dialect: db.dialect,
      notices,
      mailer,
      training: { modulesFor: id => training.modulesFor(id), moduleById: id => training.moduleById(id) },
      trainingRecords: { recordCompletions: (trx, actor, rows) => trainingRecords.recordCompletions(trx, actor, rows) },
      logger,
    }),
    supervision: supervisionService(db.db, { audit, notices }),
    goodPractice: goodPracticeService(db.db, { audit, notices }),
    // good practice from establishments with keywork's figures, and questions to the policy team (issue 17)
    practiceExchange: practiceExchangeService(db.db, {
      audit,
      notices,
      statistics,
      // the quality dashboard's QA scores (a stateless service: its own instance)
      quality: qualityService(db, { statistics, calibration }),
    }),
    // the reflective journal (issue 16): private to its writer unless shared; its minutes count towards CPD
    journal: journalService(db.db, { audit }),
    // values-based recruitment (issue 17): candidates by code, blind double scoring, moderation, retention
    recruitment: recruitmentService(db.db, { audit }),
    // data protection (issue 18): subject access requests and the national retention rule
    dataProtection: dataProtectionService(db.db, { audit }),
    // transfer handovers (issue 18): what the sending establishment chose to share with the receiving one
    handover: handoverService(db.db, { audit }),
    training,
    // training reminders (the daily job) and modules assigned to officers from a QA review
    trainingReminders: trainingRemindersService(db.db, {
      audit,
      notices,
      mailer,
      modules: { modulesFor: id => training.modulesFor(id) },
      rulesFor: id => trainingRules.rulesFor(id),
    }),
    trainingRecords,
    trainingRules,
    // the training dashboard (issue 16): who is trained, due, overdue; top-ups, CPD, courses; QA before and after
    trainingDashboard: trainingDashboardService(db, { trainingRules }),
    // the staff culture pulse survey (issue 17): anonymous one-time tokens, results under small-number protection
    survey: surveyService(db.db, { audit }),
    async close() {
      await db.close()
    },
  }
  return services
}

export type Services = ReturnType<typeof buildServices>

/** Opens the database, brings the schema up to date, and builds the services. */
export async function startServices(config: Config): Promise<Services> {
  const services = buildServices(config)
  // instances starting together over one PostgreSQL schema take turns (platform/jobs.ts withStartLock)
  await withStartLock(services.db, async () => {
    await migrateToLatest(services.db)
    // the national guide (version 1) and worksheets, when the database has none yet
    await services.guidance.ensureNationalContent()
    // the national quality rubric (version 1), when the database has none yet
    await services.rubric.ensureNational()
    // the national training programme (version 1), when the database has none yet
    await services.training.ensureNational()
  })
  return services
}
