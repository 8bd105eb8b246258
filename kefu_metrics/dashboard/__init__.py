"""The managers' dashboard over the kefu-metrics marts (Streamlit app in
app.py, aggregation in metrics.py, HTML snapshot in snapshot.py)."""
