"""The version of Arize's official SDK in this interpreter's environment.

    python sdk_version.py

Prints {"arize": "8.61.0"}.
"""

from __future__ import annotations

import importlib.metadata
import json

if __name__ == "__main__":
    print(json.dumps({"arize": importlib.metadata.version("arize")}))
