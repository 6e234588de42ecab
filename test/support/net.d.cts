// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Types for net.cjs.
import type { Server } from 'node:net';

export declare function freePort(): Promise<number>;
export declare function portInUse(port: number): Promise<boolean>;
export declare function listenOn(port: number): Promise<Server>;
