resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name          = "${var.name}-errors"
  alarm_description   = "lagsnap function ${var.name} reported errors: a snapshot failed or a sink did not deliver."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags

  dimensions = {
    FunctionName = aws_lambda_function.this.function_name
  }
}

# No data at all is the failure this alarm exists for: a disabled or broken schedule.
resource "aws_cloudwatch_metric_alarm" "missing_invocations" {
  alarm_name          = "${var.name}-missing-invocations"
  alarm_description   = "lagsnap function ${var.name} was not invoked for ${var.missing_invocations_window_minutes} minutes: lag metrics are going stale."
  namespace           = "AWS/Lambda"
  metric_name         = "Invocations"
  statistic           = "Sum"
  period              = var.missing_invocations_window_minutes * 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags

  dimensions = {
    FunctionName = aws_lambda_function.this.function_name
  }
}
