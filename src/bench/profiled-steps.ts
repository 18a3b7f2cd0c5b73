/**
 * Extra steps after the timed rounds under the kernel profiler (measureTrainingRate's
 * `extraSteps`): every kernel registered for the backend timed by its self time, then summed per
 * category against the steps' wall time (kernel-categories.ts). Ours only: the naive way runs
 * stock kernels and measures no profile.
 */
import type { ExtraSteps } from '../train/measure-rate';
import { profileKernels, type KernelProfile } from '../backends/kernel-profile';
import { summarizeProfile, type StepProfile } from '../backends/kernel-categories';

/** `done` receives the summary once the steps have run (not when one throws). */
export function profiledSteps(
  backendName: string,
  steps: number,
  done: (profile: StepProfile) => void,
): ExtraSteps {
  let profile: KernelProfile | null = null;
  return {
    steps,
    before() {
      profile = profileKernels(backendName);
    },
    after(wallMs) {
      const rows = profile?.stop() ?? [];
      profile = null;
      if (Number.isFinite(wallMs)) done(summarizeProfile(rows, steps, wallMs));
    },
  };
}
