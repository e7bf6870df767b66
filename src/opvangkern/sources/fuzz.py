"""The fuzz kit moved to ``opvangkern.testing.fuzz`` (issue 8: test support lives outside the runtime
package). This name stays importable for the adapters' ``conftest.py`` files and the documentation that
name it: it is the same module object."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("opvangkern.testing.fuzz")
