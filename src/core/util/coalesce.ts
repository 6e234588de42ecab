// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0

export interface Coalesced {
  /** Runs the task, or joins the running one and queues exactly one more run after it. */
  run(): Promise<void>;
  /** Resolves once no run is in progress. */
  settled(): Promise<void>;
}

/**
 * Serialises a refresh-style task: calls during a run share it and cause one more run afterwards, so
 * every caller's promise settles after a run that started after the call, and runs never overlap.
 */
export function coalesced(task: () => Promise<void>): Coalesced {
  let inflight: Promise<void> | undefined;
  let again = false;
  return {
    run() {
      if (inflight) {
        again = true;
        return inflight;
      }
      const loop = async () => {
        do {
          again = false;
          await task();
        } while (again);
      };
      inflight = loop().finally(() => (inflight = undefined));
      return inflight;
    },
    async settled() {
      while (inflight) await inflight;
    },
  };
}
