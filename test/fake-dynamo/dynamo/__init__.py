# SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
# SPDX-License-Identifier: Apache-2.0
"""A fake NVIDIA Dynamo package for tests: the outside of dynamo.frontend and dynamo.<engine>, no GPU."""
