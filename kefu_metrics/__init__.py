"""kefu-metrics: Python helpers of the dbt project (demo data generator)."""

__version__ = "0.1.0"
