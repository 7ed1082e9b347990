"""ECS fidelity fixes for the emulator (moto 5.2.5), applied by ``emulator.py serve``.

moto's CreateService drops capacityProviderStrategy, deploymentConfiguration,
healthCheckGracePeriodSeconds and enableExecuteCommand (UpdateService keeps them) and reports
launchType EC2 for a service placed by a capacity-provider strategy. AWS stores and describes all
of them, and reports no launchType in that case. Without this, any module that compares the
desired service with DescribeServices (ours and community.aws ecs_service alike) sees a
difference after every create. docs/emulator.md lists the gap.
"""

from __future__ import annotations

# CreateService request parameter -> attribute moto's Service serialises it from.
KEPT_ON_CREATE = {
    "capacityProviderStrategy": "capacity_provider_strategy",
    "deploymentConfiguration": "deployment_configuration",
    "healthCheckGracePeriodSeconds": "health_check_grace_period_seconds",
    "enableExecuteCommand": "enable_execute_command",
}


def apply() -> None:
    from moto.ecs.responses import EC2ContainerServiceResponse

    original = EC2ContainerServiceResponse.create_service

    def create_service(self):
        result = original(self)
        service = self.ecs_backend._get_service(self._get_param("cluster", "default"), self._get_param("serviceName"))
        for param, attribute in KEPT_ON_CREATE.items():
            value = self._get_param(param)
            if value is not None:
                setattr(service, attribute, value)
        if self._get_param("capacityProviderStrategy") and not self._get_param("launchType"):
            service.launch_type = None
        return result

    EC2ContainerServiceResponse.create_service = create_service
