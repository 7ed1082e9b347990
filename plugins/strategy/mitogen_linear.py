# -*- coding: utf-8 -*-
# Copyright: cloudplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: mitogen_linear
short_description: The linear strategy, with modules run in one reused interpreter through Mitogen
version_added: 0.1.0
description:
  - Runs the play exactly as C(ansible.builtin.linear) does (task by task, every host finishing a
    task before the next one starts), but hands module execution to Mitogen for Ansible when the
    C(mitogen) Python package is installed on the controller.
  - Without Mitogen, every module task starts a new Python interpreter that imports boto3 and
    compiles its module_utils from the AnsiballZ zip again. With it, one interpreter per host stays
    up for the run and keeps those imports and the compiled code; a module task then costs about a
    third of its usual start-up. The modules, their arguments, results, check mode and diff are the
    same.
  - When C(mitogen) cannot be imported (an execution environment built without it, a controller
    that never installed it), the plugin is C(ansible.builtin.linear) and says so once.
  - Mitogen's own debug log (C(MITOGEN_LOG_LEVEL=debug) together with C(-vvvv), or
    C(MITOGEN_ROUTER_DEBUG)) writes every module argument, C(no_log) values included. This plugin
    therefore sets C(MITOGEN_LOG_LEVEL) to WARNING and removes C(MITOGEN_ROUTER_DEBUG) before Mitogen
    starts, and warns when it overrode them; to debug the transport itself, run a throwaway
    environment with Mitogen's upstream C(mitogen_linear) strategy.
  - Module code runs in the same interpreter from task to task. boto3 and the module_utils stay
    loaded, so module-level state would persist between tasks; the module_utils of this collection
    and of amazon.aws keep none. A task that needs a clean process can set the variable
    C(mitogen_task_isolation=fork).
  - ansible-core 2.19 reports every strategy plugin outside C(ansible.builtin) as deprecated. If a
    later ansible-core drops them, set C(strategy = linear) in C(ansible.cfg); nothing else depends on
    this plugin.
requirements:
  - mitogen >= 0.3.54 on the controller (optional; see above).
author:
  - cloudplatform.aws contributors (@cloudplatform)
notes:
  - Selected in the project's C(ansible.cfg) (C(strategy = cloudplatform.aws.mitogen_linear)).
  - Tasks run with C(async), with C(mitogen_task_isolation=fork), or with module_utils from outside
    the installed packages and collections still get a new process each.
seealso:
  - name: Mitogen for Ansible
    description: How Mitogen runs Ansible modules.
    link: https://mitogen.networkgenomics.com/ansible_detailed.html
"""

import os

from ansible.utils.display import Display

display = Display()

try:
    import ansible_mitogen.loaders
    import ansible_mitogen.strategy
except ImportError:
    HAS_MITOGEN = False
else:
    HAS_MITOGEN = True

# The level Mitogen's loggers are kept at: below it they log module arguments in clear.
QUIET_LOG_LEVEL = "WARNING"
# Switches that turn Mitogen's debug log on by another road (MITOGEN_ROUTER_DEBUG writes every call,
# module arguments included, to /tmp/mitogen.<pid>.<time>.log and forwards it to the controller).
DEBUG_SWITCHES = ("MITOGEN_ROUTER_DEBUG",)


def quiet_mitogen_logs(environ=None):
    """Keep Mitogen's loggers from writing module arguments, whatever the environment asks for.

    Sets MITOGEN_LOG_LEVEL to WARNING and removes the debug switches. Returns the settings that were
    overridden (name=value strings), empty when there were none.
    """
    environ = os.environ if environ is None else environ
    overridden = []
    asked = environ.get("MITOGEN_LOG_LEVEL")
    environ["MITOGEN_LOG_LEVEL"] = QUIET_LOG_LEVEL
    if asked and asked.upper() not in (QUIET_LOG_LEVEL, "ERROR", "CRITICAL"):
        overridden.append("MITOGEN_LOG_LEVEL=%s" % asked)
    for name in DEBUG_SWITCHES:
        if name in environ:
            overridden.append("%s=%s" % (name, environ.pop(name)))
    return overridden


if HAS_MITOGEN:
    # As Mitogen's own strategy plugins do: the builtin linear strategy, loaded through the plugin
    # loader Mitogen has wrapped, with Mitogen's mixin in front of it.
    _Linear = ansible_mitogen.loaders.strategy_loader.get("linear", class_only=True)

    class StrategyModule(ansible_mitogen.strategy.StrategyMixin, _Linear):
        def run(self, *args, **kwargs):
            overridden = quiet_mitogen_logs()
            if overridden:
                display.warning(
                    "%s not used by cloudplatform.aws.mitogen_linear: Mitogen's debug log writes module arguments, "
                    "no_log values included." % ", ".join(overridden)
                )
            return super(StrategyModule, self).run(*args, **kwargs)

else:
    from ansible.plugins.strategy.linear import StrategyModule as _Linear

    class StrategyModule(_Linear):
        def run(self, *args, **kwargs):
            display.warning(
                "cloudplatform.aws.mitogen_linear: the mitogen package is not installed on the controller, "
                "running the builtin linear strategy (every module task starts its own interpreter)."
            )
            return super(StrategyModule, self).run(*args, **kwargs)
