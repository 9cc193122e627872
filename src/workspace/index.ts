// The workspace model: which Actors a workspace holds, their names, and each one's engine (no `vscode` import).
// The language server imports ./actorRoots and ./actor directly: it needs no engine (and no Docker client in its bundle).
export { describeActor, WorkspaceActor } from './actor';
export { ActorNameError, ActorNameReference, findActorByName, parseActorName } from './actorName';
export { DEFAULT_MAX_DEPTH, findActorRoot, findActorRoots, isActorRoot } from './actorRoots';
export { ActorWorkspace, ActorWorkspaceOptions, EngineSettings } from './workspace';
export { defaultWorkspaceRoot } from './workspaceRoot';
export { ActorTask, findTask, FoundTask, readActorTasks, saveActorTask, setTaskInput, TaskFileError, taskIdOf, taskRunOptions, TASKS_FILE, TaskRunOptions, workspaceTasks } from './tasks';
export { ActorSchedule, FoundSchedule, nextFireAt, readActorSchedules, SCHEDULES_FILE, workspaceSchedules } from './schedules';
export { Scheduler, SchedulerClock, ScheduleState, scheduledRunOptions, workspaceScheduler } from './scheduler';
export { claimScheduling, releaseScheduling, schedulingProcess } from './schedulerLock';
