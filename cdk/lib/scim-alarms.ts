import { Duration } from 'aws-cdk-lib/core';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** The handler's EMF metrics (lambdas/scim-handler/src/emf.rs), published per Operation and without dimensions. */
export const HANDLER_METRICS = ['Requests', 'ClientErrors', 'Throttled', 'ServerErrors', 'ConnectCalls', 'Latency'] as const;

export interface ScimAlarmsProps {
  readonly api: RestApi;
  /** The handler's METRICS_NAMESPACE. */
  readonly namespace: string;
  /** An SNS topic (yours) the alarms notify, alarm and recovery; none: alarms show in the console only. */
  readonly alarmTopic?: ITopic;
}

/**
 * Two alarms that mean "the IdP's changes are not landing":
 * - server errors: API Gateway answered 5xx (Connect failing, the handler
 *   failing or timing out) at least 5 times in each of three 5-minute
 *   periods running;
 * - throttling: the handler answered 429 (Connect's quota spent after
 *   in-request retries) at least 20 times in each of six 5-minute periods
 *   running. A large initial sync can trip it for a while (that is Connect's
 *   quota at work; the IdP retries); if it persists beyond the sync, another
 *   integration is probably sharing the account's Connect quota.
 */
export class ScimAlarms extends Construct {
  public readonly serverErrors: Alarm;
  public readonly throttling: Alarm;

  constructor(scope: Construct, id: string, props: ScimAlarmsProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    this.serverErrors = new Alarm(this, 'ServerErrors', {
      alarmDescription:
        'SCIM requests answered 5xx for 15 minutes: IdP changes are not landing in Amazon Connect. See the handler log (filter target = "scim_audit" and fields.status >= 500).',
      metric: props.api.metricServerError({ period, statistic: 'Sum' }),
      threshold: 5,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.throttling = new Alarm(this, 'Throttling', {
      alarmDescription:
        'SCIM requests answered 429 (Amazon Connect quota spent) for 30 minutes. Expected for a while during a large initial sync; otherwise check what else calls Connect in this account.',
      metric: new Metric({ namespace: props.namespace, metricName: 'Throttled', period, statistic: 'Sum' }),
      threshold: 20,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 6,
      datapointsToAlarm: 6,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopic) {
      const action = new SnsAction(props.alarmTopic);
      for (const alarm of [this.serverErrors, this.throttling]) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
  }
}
