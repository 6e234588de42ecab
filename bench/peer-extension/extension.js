// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// The activation benchmark's peer: an extension that registers one command and does nothing else, so
// the ratio ours/peer is the cost of our activation above the extension host's fixed overhead.
const vscode = require('vscode');
exports.activate = (context) => {
  context.subscriptions.push(vscode.commands.registerCommand('benchPeer.noop', () => undefined));
};
exports.deactivate = () => undefined;
