"""Building blocks of the demo data generator (see kefu_metrics.demo)."""
