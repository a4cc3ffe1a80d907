// The authored half of the demo release train: the ART, its teams and people, and the portfolio and program
// backlog (epics, capabilities, features) written the way a Product Manager would write them. Stories are not
// written here: demo-train.ts draws them from the real Jira issues and user stories, matched to each feature's theme.

export type TeamKey = "PIPE" | "RUN" | "INTG" | "STUD" | "BLD" | "DATA";

import type { ProgramState } from "../core/work-item.js";

export type FeatureState = ProgramState;

export type EnablerKind = "exploration" | "architecture" | "infrastructure" | "compliance";

/** Where a feature's stories come from: issues of some source projects whose title matches, or user stories. */
export type StorySource =
  | { kind: "issues"; projects: readonly string[]; match: RegExp }
  | { kind: "userStories"; match: RegExp };

/** `current`: planned in the PI under way; `next`: planned for the next PI; `later`: not in a PI yet. */
export type Horizon = "current" | "next" | "later";

export interface CatalogItem {
  /** Stable id within the catalog; the plan gives items their own refs. */
  id: string;
  title: string;
  description: string;
  benefitHypothesis: string;
  acceptanceCriteria: readonly string[];
  type: "business" | "enabler" | "debt";
  enablerKind?: EnablerKind;
  state: FeatureState;
  labels: readonly string[];
  /** Catalog id of the parent epic or capability. */
  parent?: string;
}

export interface CatalogFeature extends CatalogItem {
  parent: string;
  horizon: Horizon;
  /** The team that leads the feature; stories of other teams join it through `sources`. */
  team: TeamKey;
  sources: readonly StorySource[];
  /** Completes "Given …" in the acceptance criteria of the feature's stories, e.g. "a stream that writes to HDFS". */
  context: string;
  /** Catalog ids of features (of other teams) this feature needs. */
  dependsOn?: readonly string[];
}

export const DEMO_ART = { key: "DPT", name: "Developer Platform Train" } as const;

export type DemoRole =
  | "product_manager"
  | "release_train_engineer"
  | "business_owner"
  | "product_owner"
  | "team_member";

export interface CatalogPerson {
  name: string;
  email: string;
  role: DemoRole;
  teams: readonly TeamKey[];
}

export const DEMO_PEOPLE: readonly CatalogPerson[] = [
  { name: "Maya Lindqvist", email: "maya.lindqvist@example.com", role: "product_manager", teams: [] },
  { name: "Daniel Okafor", email: "daniel.okafor@example.com", role: "release_train_engineer", teams: [] },
  { name: "Priya Raman", email: "priya.raman@example.com", role: "business_owner", teams: [] },
  { name: "Tomas Herrera", email: "tomas.herrera@example.com", role: "product_owner", teams: ["PIPE", "DATA"] },
  { name: "Aiko Tanaka", email: "aiko.tanaka@example.com", role: "product_owner", teams: ["RUN", "INTG"] },
  { name: "Sofia Rossi", email: "sofia.rossi@example.com", role: "product_owner", teams: ["STUD", "BLD"] },
  { name: "Lena Fischer", email: "lena.fischer@example.com", role: "team_member", teams: ["PIPE"] },
  { name: "Kwame Mensah", email: "kwame.mensah@example.com", role: "team_member", teams: ["RUN"] },
  { name: "Hannah Kowalski", email: "hannah.kowalski@example.com", role: "team_member", teams: ["INTG"] },
  { name: "Ravi Patel", email: "ravi.patel@example.com", role: "team_member", teams: ["STUD"] },
  { name: "Chloe Martin", email: "chloe.martin@example.com", role: "team_member", teams: ["BLD"] },
  { name: "Jonas Berg", email: "jonas.berg@example.com", role: "team_member", teams: ["DATA"] },
];

export interface CatalogTeam {
  key: TeamKey;
  name: string;
  /** Source projects (story-points/<project>.csv) whose issues this team's stories are drawn from. */
  projects: readonly string[];
}

export const DEMO_TEAMS: readonly CatalogTeam[] = [
  { key: "PIPE", name: "Pipelines", projects: ["springxd"] },
  { key: "RUN", name: "Runtime", projects: ["mesos"] },
  { key: "INTG", name: "Integration", projects: ["mule", "mulestudio", "talendesb"] },
  { key: "STUD", name: "Studio", projects: ["appceleratorstudio", "titanium", "aptanastudio"] },
  { key: "BLD", name: "Build & Quality", projects: ["bamboo", "clover", "jirasoftware"] },
  { key: "DATA", name: "Data Services", projects: ["talenddataquality", "duracloud", "usergrid"] },
];

export const DEMO_EPICS: readonly CatalogItem[] = [
  {
    id: "epic-pipelines",
    title: "Self-service data pipelines",
    description:
      "Data engineers define, deploy and operate streaming and batch pipelines themselves, from ingestion to a checked, " +
      "published data set, without filing tickets with a platform team.",
    benefitHypothesis:
      "We believe that self-service streaming and batch pipelines with built-in data-quality checks will result in " +
      "customers moving their ingestion workloads onto the platform; we will know when 60% of active accounts run at " +
      "least one pipeline in production and pipeline-related support tickets fall by 30%.",
    acceptanceCriteria: [
      "Given a new account, when a data engineer follows the getting-started guide, then a stream from HTTP to HDFS is running within 30 minutes.",
      "Given a pipeline with a data-quality analysis, when a batch fails a rule, then the failing rows are reported to the data steward.",
      "Pipeline adoption and support-ticket volume are reported at every System Demo.",
    ],
    type: "business",
    state: "implementing",
    labels: ["data-platform"],
  },
  {
    id: "epic-runtime",
    title: "Elastic runtime for every workload",
    description:
      "One shared cluster runs services, pipelines and build agents: containers, quotas and persistent storage replace " +
      "the dedicated hosts each product runs today.",
    benefitHypothesis:
      "We believe that one elastic runtime for every workload will result in lower infrastructure cost and faster " +
      "provisioning; we will know when 70% of workloads run on the shared cluster and median provisioning time is under " +
      "ten minutes.",
    acceptanceCriteria: [
      "Given a team with a Docker image, when they request capacity, then their service runs on the shared cluster the same day.",
      "Given the cluster is fully loaded, when a production role needs its quota, then it receives the quota within one allocation cycle.",
    ],
    type: "enabler",
    enablerKind: "architecture",
    state: "implementing",
    labels: ["runtime"],
  },
  {
    id: "epic-integration",
    title: "Connected integration platform",
    description:
      "Integration developers connect SaaS applications, databases and internal services through one runtime and one " +
      "studio, with connectors that keep working across upgrades and services that can be found and secured centrally.",
    benefitHypothesis:
      "We believe that a connected integration platform will result in customers building integrations in days instead " +
      "of weeks; we will know when the median time from project creation to first deployed integration falls below " +
      "five working days.",
    acceptanceCriteria: [
      "Given a developer new to the platform, when they build the Salesforce-to-database tutorial, then it runs in Studio without custom code.",
      "Given a partner connector built for one release, when the next minor release ships, then the connector runs unchanged.",
    ],
    type: "business",
    state: "implementing",
    labels: ["integration"],
  },
  {
    id: "epic-devex",
    title: "Developer experience from first commit to app store",
    description:
      "Developers write, build, test and ship mobile and web apps from one studio and one CI toolchain: a CLI shared by " +
      "Studio and CI, elastic build agents, and coverage that points at the risky code.",
    benefitHypothesis:
      "We believe that one toolchain from first commit to app store will result in teams releasing apps more often; we " +
      "will know when pilot teams double their release frequency within two PIs.",
    acceptanceCriteria: [
      "Given a new mobile project, when it is pushed to a repository, then CI builds and tests it for iOS and Android without manual setup.",
      "Release frequency of pilot teams is reported at the Inspect & Adapt.",
    ],
    type: "business",
    state: "implementing",
    labels: ["developer-experience"],
  },
  {
    id: "epic-backend",
    title: "Backend services for mobile apps",
    description:
      "App developers store entities, query them and send push notifications through hosted backend services instead of " +
      "running their own servers.",
    benefitHypothesis:
      "We believe that hosted backend services will result in mobile teams choosing the platform for new apps; we will " +
      "know when 20 pilot apps store their data in the hosted backend.",
    acceptanceCriteria: [
      "Given an app with the backend SDK, when it saves an entity, then the entity can be queried by any of its indexed properties.",
      "Lean business case reviewed with the Business Owners before the epic moves to implementing.",
    ],
    type: "business",
    state: "analyzing",
    labels: ["mobile-backend"],
  },
];

export const DEMO_CAPABILITIES: readonly CatalogItem[] = [
  {
    id: "cap-streaming",
    parent: "epic-pipelines",
    title: "Stream processing at scale",
    description: "Streams that ingest, transform and land high-volume event data with delivery guarantees.",
    benefitHypothesis:
      "We believe that reliable high-volume streams will result in customers ingesting all event data through the " +
      "platform; we will know when pilot customers sustain 50,000 messages per second with no lost messages.",
    acceptanceCriteria: [
      "Given a stream under the reference load, when a container fails, then no message is lost and throughput recovers within two minutes.",
      "Throughput and message loss are measured on the performance environment at every PI boundary.",
    ],
    type: "business",
    state: "implementing",
    labels: ["streaming"],
  },
  {
    id: "cap-quality",
    parent: "epic-pipelines",
    title: "Data quality and stewardship",
    description:
      "Profiling, matching, rules and integrity checks that let data stewards trust what pipelines produce and prove it in audits.",
    benefitHypothesis:
      "We believe that built-in data-quality tooling will result in fewer data incidents reaching customers' reports; we " +
      "will know when pilot stewards report a 50% drop in data incidents over two PIs.",
    acceptanceCriteria: [
      "Given a pipeline output, when the steward runs the standard profiling analysis, then null, duplicate and pattern violations are reported per column.",
      "Given an audit request, when the steward exports the integrity report, then every stored item shows its last successful check.",
    ],
    type: "business",
    state: "implementing",
    labels: ["data-quality"],
  },
  {
    id: "cap-scheduling",
    parent: "epic-runtime",
    title: "Multi-tenant cluster scheduling",
    description:
      "Containers, quotas, persistent volumes and maintenance windows that let many teams share one cluster safely.",
    benefitHypothesis:
      "We believe that multi-tenant scheduling will result in teams giving up dedicated hosts; we will know when average " +
      "cluster utilisation rises from 30% to 55% with no production role starved of resources.",
    acceptanceCriteria: [
      "Given two roles with quotas, when both are at peak demand, then each receives at least its quota.",
      "Given a stateful service on a persistent volume, when its task restarts, then its data is intact.",
    ],
    type: "enabler",
    enablerKind: "architecture",
    state: "implementing",
    labels: ["cluster"],
  },
  {
    id: "cap-delivery",
    parent: "epic-devex",
    title: "Continuous delivery toolchain",
    description:
      "Command-line builds, elastic build agents, branch builds, coverage and deployment projects in one flow.",
    benefitHypothesis:
      "We believe that one continuous delivery toolchain will result in shorter lead time from commit to release; we " +
      "will know when pilot teams' median lead time falls from nine days to three.",
    acceptanceCriteria: [
      "Given a commit on a feature branch, when it is pushed, then a branch build with coverage runs on an elastic agent.",
      "Given a green build on the main branch, when a release is created, then it can be deployed to staging from the deployment project.",
    ],
    type: "business",
    state: "implementing",
    labels: ["ci-cd"],
  },
];

const issues = (projects: readonly string[], match: RegExp): StorySource => ({ kind: "issues", projects, match });
const userStories = (match: RegExp): StorySource => ({ kind: "userStories", match });

/** The program backlog, grouped by lead team; demo-train.ts ranks it. */
export const DEMO_FEATURES: readonly CatalogFeature[] = [
  // ── Pipelines ──────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: "pipe-kafka",
    team: "PIPE",
    parent: "cap-streaming",
    horizon: "current",
    state: "implementing",
    type: "business",
    title: "Kafka message bus for streams",
    description:
      "Stream definitions can use Apache Kafka as the message bus between modules, alongside Redis and RabbitMQ, so " +
      "high-volume streams keep ordering per partition and survive container restarts without losing messages.",
    benefitHypothesis:
      "We believe that a Kafka message bus for streams will result in customers moving high-volume event ingestion " +
      "onto the platform; we will know when three pilot customers run a stream above 50,000 messages per second for a " +
      "week with no lost messages.",
    acceptanceCriteria: [
      "Given a stream deployed with the Kafka bus, when a container running one of its modules stops, then the module is redeployed and resumes from the last committed offset with no lost messages.",
      "Given a stream definition, when the operator sets partition count and replication factor as deployment properties, then the Kafka topics are created with those values.",
      "The reference guide documents the Kafka bus settings and the throughput measured on the performance environment.",
    ],
    labels: ["streaming", "kafka"],
    context: "a stream deployed with the Kafka message bus",
    sources: [issues(["springxd"], /kafka/i)],
  },
  {
    id: "pipe-hdfs",
    team: "PIPE",
    parent: "cap-streaming",
    horizon: "current",
    state: "validating",
    type: "business",
    title: "HDFS sink with rollover and partitioned paths",
    description:
      "Write stream data to HDFS in files that roll over by size or time and land in partitioned paths, so downstream " +
      "Hadoop jobs pick up complete files by date.",
    benefitHypothesis:
      "We believe that an HDFS sink with rollover and partitioned paths will result in data engineers landing streams " +
      "directly in the data lake instead of maintaining ingestion scripts; we will know when 40% of new streams on " +
      "pilot accounts end in the HDFS sink within one PI of release.",
    acceptanceCriteria: [
      "Given a stream ending in the HDFS sink with rollover at 128 MB, when 1 GB has passed, then eight closed files and one open file exist in the target directory.",
      "Given a partition path on the event date, when events for two dates arrive, then each file is written under the directory of its date.",
      "Given the namenode is unreachable, when the sink writes, then the error is logged with the stream name and the write is retried.",
    ],
    labels: ["streaming", "hadoop"],
    context: "a stream that writes to HDFS",
    sources: [issues(["springxd"], /hdfs|hadoop/i)],
    dependsOn: ["run-volumes"],
  },
  {
    id: "pipe-batch",
    team: "PIPE",
    parent: "epic-pipelines",
    horizon: "current",
    state: "implementing",
    type: "business",
    title: "Batch jobs as pipeline steps",
    description:
      "Define, launch and schedule Spring Batch jobs from the same shell and REST API as streams, and trigger a job " +
      "from a stream event, so one pipeline mixes streaming ingestion with batch exports.",
    benefitHypothesis:
      "We believe that running batch jobs alongside streams will result in customers retiring their separate job " +
      "schedulers; we will know when half of the pilot accounts launch at least one job from a stream trigger each week.",
    acceptanceCriteria: [
      "Given a registered job module, when the user deploys a job definition with a cron trigger, then the job runs on schedule and each execution appears in the execution list.",
      "Given a stream ending in the job launch sink, when a message arrives, then a job execution starts with the payload as a job parameter.",
      "Given a failed job execution, when the user restarts it, then it resumes from the failed step.",
    ],
    labels: ["batch"],
    context: "a batch job deployed to an XD container",
    sources: [issues(["springxd"], /\bjobs?\b|batch/i)],
    dependsOn: ["run-docker"],
  },
  {
    id: "pipe-shell",
    team: "PIPE",
    parent: "epic-pipelines",
    horizon: "current",
    state: "done",
    type: "business",
    title: "XD shell for the stream and job lifecycle",
    description:
      "An interactive shell with tab completion that creates, deploys, undeploys and destroys streams, taps and jobs " +
      "against a remote admin server, replacing the curl calls in the getting-started guide.",
    benefitHypothesis:
      "We believe that a shell for the whole stream and job lifecycle will result in new users deploying their first " +
      "stream in one session; we will know when the median time from download to first deployed stream in onboarding " +
      "sessions is under 15 minutes.",
    acceptanceCriteria: [
      "Given the shell is connected to an admin server, when the user types 'stream create' and presses Tab, then the available options are listed.",
      "Given a stream definition with a syntax error, when the user creates the stream, then the shell shows the position of the error and nothing is saved.",
      "Every curl example in the getting-started guide has an equivalent shell command.",
    ],
    labels: ["cli"],
    context: "an operator using the XD shell",
    sources: [issues(["springxd"], /shell|command/i)],
  },
  {
    id: "pipe-cluster",
    team: "PIPE",
    parent: "epic-runtime",
    horizon: "current",
    state: "implementing",
    type: "enabler",
    enablerKind: "infrastructure",
    title: "Pipelines on the shared cluster",
    description:
      "Run the XD admin and containers as a framework on the shared cluster instead of dedicated EC2 hosts, so " +
      "pipeline capacity follows the cluster's resource offers. Pipelines leads; Runtime extends the framework API.",
    benefitHypothesis:
      "We believe that running pipelines on the shared cluster will result in lower infrastructure cost per pipeline; " +
      "we will know when the host count for pipelines on pilot accounts falls by 30% at the same throughput.",
    acceptanceCriteria: [
      "Given an XD cluster registered as a framework, when a stream is deployed, then its modules run in containers launched from the framework's offers.",
      "Given an agent running XD containers is drained, when its tasks stop, then the affected modules are redeployed on other agents within two minutes.",
      "The installation guide replaces the EC2 installer chapter with the cluster deployment steps.",
    ],
    labels: ["cluster", "streaming"],
    context: "an XD cluster running as a framework on the shared cluster",
    sources: [issues(["springxd"], /yarn|\bec2\b|aws|cluster|mesos/i), issues(["mesos"], /framework|scheduler/i)],
    dependsOn: ["run-quota"],
  },
  {
    id: "pipe-ui",
    team: "PIPE",
    parent: "epic-pipelines",
    horizon: "next",
    state: "backlog",
    type: "business",
    title: "Admin UI for streams and jobs",
    description:
      "A browser UI in the admin server that lists streams, jobs and executions, shows deployment status per " +
      "container, and lets operators launch, stop and restart jobs.",
    benefitHypothesis:
      "We believe that an admin UI for streams and jobs will result in operators diagnosing failed deployments " +
      "without shell access; we will know when 70% of job restarts on pilot accounts are made from the UI.",
    acceptanceCriteria: [
      "Given an operator opens the Jobs page, when an execution has failed, then the execution shows its failed step and exit message.",
      "Given a failed execution, when the operator selects Restart, then a new execution starts and the list refreshes within five seconds.",
      "Given a stream whose module failed to deploy, when the operator opens the stream, then the container and the deployment error are shown.",
    ],
    labels: ["ui"],
    context: "an operator signed in to the admin UI",
    sources: [issues(["springxd"], /admin.ui|\bui\b|dashboard/i)],
  },
  {
    id: "pipe-transport",
    team: "PIPE",
    parent: "cap-streaming",
    horizon: "next",
    state: "backlog",
    type: "enabler",
    enablerKind: "infrastructure",
    title: "Production-grade Redis and RabbitMQ transports",
    description:
      "Dead-letter handling, retry with back-off, and a bundled Redis for single-node installs, for customers who " +
      "cannot run Kafka.",
    benefitHypothesis:
      "We believe that hardened Redis and RabbitMQ transports will result in fewer lost-message incidents for " +
      "customers without Kafka; we will know when transport-related support tickets fall by half over the next PI.",
    acceptanceCriteria: [
      "Given a module that throws on a message, when retries are exhausted, then the message is routed to the stream's dead-letter queue.",
      "Given a single-node install, when the admin server starts, then the bundled Redis starts with it and stops cleanly on shutdown.",
    ],
    labels: ["streaming", "transport"],
    context: "a stream deployed on the Redis or RabbitMQ transport",
    sources: [issues(["springxd"], /redis|rabbit/i)],
  },
  {
    id: "pipe-boot",
    team: "PIPE",
    parent: "cap-streaming",
    horizon: "later",
    state: "analyzing",
    type: "enabler",
    enablerKind: "exploration",
    title: "Explore modules as standalone Spring Boot apps",
    description:
      "Find out what it takes to package each source, processor and sink as a standalone Spring Boot application " +
      "(the Spring Cloud Stream model) and what that means for existing module options and the shell.",
    benefitHypothesis:
      "We believe that modules packaged as Boot apps will result in teams upgrading and scaling one module without " +
      "redeploying the whole stream; we will know when a prototype runs the three most-used reference streams unchanged.",
    acceptanceCriteria: [
      "A written comparison of the current module model and the Boot app model, with the migration cost of each built-in module, is reviewed at the System Demo.",
      "Given the prototype, when the 'http | transform | hdfs' stream is deployed, then messages flow end to end.",
    ],
    labels: ["architecture", "spring-boot"],
    context: "an XD module packaged as a Spring Boot app",
    sources: [issues(["springxd"], /s-c-s|spring cloud|\bboot/i)],
  },
  {
    id: "pipe-redeploy",
    team: "PIPE",
    parent: "cap-streaming",
    horizon: "later",
    state: "funnel",
    type: "business",
    title: "Zero-downtime stream redeployment",
    description: "Redeploy a stream with a new module version without stopping ingestion, by rolling module instances.",
    benefitHypothesis:
      "We believe that zero-downtime redeployment will result in customers upgrading modules during business hours; " +
      "we will know when half of module upgrades on pilot accounts happen between 08:00 and 18:00.",
    acceptanceCriteria: [
      "Given a stream with two instances of a processor, when the processor is upgraded, then the stream keeps accepting messages throughout.",
      "Given an upgrade that fails its health check, when the rollout stops, then the instances still on the old version keep processing.",
    ],
    labels: ["streaming", "deployment"],
    context: "a deployed stream being upgraded",
    sources: [issues(["springxd"], /deploy|zookeeper|partition/i)],
  },

  // ── Runtime ────────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: "run-docker",
    team: "RUN",
    parent: "cap-scheduling",
    horizon: "current",
    state: "implementing",
    type: "business",
    title: "Docker containerizer parity",
    description:
      "Tasks run from Docker images with the same isolation, resource limits, recovery and status reporting as native " +
      "tasks, so teams ship one image from their laptop to the cluster.",
    benefitHypothesis:
      "We believe that Docker containerizer parity will result in service teams moving containerized workloads onto " +
      "the shared cluster; we will know when 50% of new tasks launched in the next PI use Docker images.",
    acceptanceCriteria: [
      "Given a task with a Docker image and CPU and memory limits, when it runs, then the limits are enforced as for a native task.",
      "Given an agent restarts with checkpointing enabled, when it recovers, then only the Docker tasks it launched are recovered.",
      "Given an image that cannot be pulled, when the task is launched, then the scheduler receives TASK_FAILED with a message naming the image.",
    ],
    labels: ["containers", "docker"],
    context: "a task launched from a Docker image",
    sources: [issues(["mesos"], /docker|containerizer/i)],
  },
  {
    id: "run-quota",
    team: "RUN",
    parent: "cap-scheduling",
    horizon: "current",
    state: "implementing",
    type: "business",
    title: "Resource quotas per role",
    description:
      "Operators guarantee each role a minimum share of cluster resources, set through HTTP endpoints, persisted in " +
      "the registry and honoured by the allocator across master failover.",
    benefitHypothesis:
      "We believe that per-role quotas will result in production services keeping their capacity during batch peaks; " +
      "we will know when no production role on pilot clusters waits more than five minutes for offers in a PI.",
    acceptanceCriteria: [
      "Given a quota of 10 CPUs for role 'prod', when other roles fill the cluster, then 'prod' frameworks are offered 10 CPUs within one allocation cycle after tasks finish.",
      "Given a quota request larger than the cluster's capacity, when an operator submits it, then it is rejected with the shortfall.",
      "Given a master failover, when the new master is elected, then quotas are recovered from the registry.",
    ],
    labels: ["cluster", "quota"],
    context: "a cluster with a quota set for a role",
    sources: [issues(["mesos"], /quota|allocator/i)],
  },
  {
    id: "run-volumes",
    team: "RUN",
    parent: "cap-scheduling",
    horizon: "current",
    state: "validating",
    type: "business",
    title: "Persistent volumes for stateful services",
    description:
      "Frameworks reserve disk and create persistent volumes that survive task restarts, so databases and brokers run " +
      "on the cluster next to stateless services.",
    benefitHypothesis:
      "We believe that persistent volumes will result in teams running stateful services on the shared cluster; we " +
      "will know when a database and a message broker run in production on pilot clusters.",
    acceptanceCriteria: [
      "Given a framework created a persistent volume, when its task is killed and relaunched on the same agent, then the data written before is present.",
      "Given a volume is no longer needed, when the framework destroys it, then the disk is offered again as unreserved.",
      "Disk usage per container is reported in the agent's metrics.",
    ],
    labels: ["storage"],
    context: "a framework that uses a persistent volume",
    sources: [issues(["mesos"], /persistent|volume|\bdisk|reserv/i)],
  },
  {
    id: "run-flaky",
    team: "RUN",
    parent: "epic-runtime",
    horizon: "current",
    state: "implementing",
    type: "debt",
    title: "Stabilise flaky cluster tests",
    description:
      "Intermittent test failures break about one CI run in five and teams re-run builds instead of reading failures. " +
      "Fix or quarantine every test that failed intermittently in the last two PIs.",
    benefitHypothesis:
      "We believe that removing flaky tests will result in teams trusting a red build again; we will know when the CI " +
      "re-run rate stays below 5% for four consecutive weeks.",
    acceptanceCriteria: [
      "Given the 20 most frequently failing tests on the CI dashboard, when each is fixed or quarantined, then none fails in 200 consecutive CI runs.",
      "Every quarantined test has a linked story with an owner.",
    ],
    labels: ["ci", "tech-debt"],
    context: "the CI pipeline of the cluster manager",
    sources: [issues(["mesos"], /flaky/i)],
  },
  {
    id: "run-maintenance",
    team: "RUN",
    parent: "cap-scheduling",
    horizon: "next",
    state: "backlog",
    type: "business",
    title: "Maintenance windows for agents",
    description:
      "Operators schedule maintenance for agents; frameworks see the unavailability in offers and move tasks before " +
      "the agent is drained.",
    benefitHypothesis:
      "We believe that maintenance primitives will result in kernel upgrades without service outages; we will know when " +
      "a rolling upgrade of a 100-agent pilot cluster completes with no failed health checks.",
    acceptanceCriteria: [
      "Given a maintenance window for an agent, when frameworks receive offers from it, then each offer carries the unavailability interval.",
      "Given the window starts, when the operator marks the agent down, then no new tasks launch on it and running tasks are killed with the maintenance reason.",
      "The maintenance endpoints require the 'maintenance' ACL.",
    ],
    labels: ["cluster", "operations"],
    context: "an agent scheduled for maintenance",
    sources: [issues(["mesos"], /maintenance|drain|unavailab|agent/i)],
  },
  {
    id: "run-api",
    team: "RUN",
    parent: "epic-runtime",
    horizon: "next",
    state: "backlog",
    type: "enabler",
    enablerKind: "architecture",
    title: "Versioned operator and scheduler HTTP API",
    description:
      "A versioned v1 HTTP API for schedulers, executors and operators, with JSON and protobuf encodings, replacing " +
      "the internal messages that third-party frameworks depend on today.",
    benefitHypothesis:
      "We believe that a versioned HTTP API will result in framework authors writing schedulers in any language; we " +
      "will know when two frameworks written in other languages than C++, Java or Python connect to pilot clusters.",
    acceptanceCriteria: [
      "Given a scheduler subscribed on /api/v1/scheduler, when offers are made, then they arrive as events on the open connection in the requested encoding.",
      "Given a request with an unknown call type, when it is posted, then the response is 400 with a message naming the call type.",
      "The API reference lists every call and event with an example.",
    ],
    labels: ["api"],
    context: "a client of the v1 HTTP API",
    sources: [issues(["mesos"], /http|endpoint|\bv1\b|\bapi\b/i)],
  },
  {
    id: "run-fetcher",
    team: "RUN",
    parent: "cap-scheduling",
    horizon: "next",
    state: "backlog",
    type: "enabler",
    enablerKind: "infrastructure",
    title: "Fetcher cache and image provisioner",
    description:
      "Cache artifacts fetched for tasks on each agent and provision container images without a Docker daemon, so a " +
      "task launch does not download the same files again.",
    benefitHypothesis:
      "We believe that a fetcher cache will result in faster task launches; we will know when the median launch time " +
      "of tasks with artifacts over 100 MB drops by 60% on pilot clusters.",
    acceptanceCriteria: [
      "Given two tasks on one agent fetch the same URI with caching on, when the second launches, then the artifact is copied from the cache and not downloaded.",
      "Given the cache is at its size limit, when a new artifact is fetched, then the least recently used entries are evicted.",
    ],
    labels: ["containers"],
    context: "an agent fetching artifacts for a task",
    sources: [issues(["mesos"], /fetcher|provisioner|appc|\bimages?\b/i)],
  },
  {
    id: "run-authz",
    team: "RUN",
    parent: "epic-runtime",
    horizon: "later",
    state: "analyzing",
    type: "enabler",
    enablerKind: "compliance",
    title: "Authorization and encrypted traffic for the cluster",
    description:
      "Apply ACLs to task launches and offer allocation, and encrypt traffic between masters, agents and frameworks, " +
      "to meet the audit requirements of customers in regulated industries.",
    benefitHypothesis:
      "We believe that authorized launches and encrypted traffic will result in regulated customers passing their " +
      "platform audit; we will know when the two banking pilots sign off their security review.",
    acceptanceCriteria: [
      "Given a principal without permission to run tasks as 'root', when its framework launches a task as root, then the launch is denied and the reason is logged.",
      "Given SSL is enabled, when an agent registers with the master, then the connection is encrypted and a plain-text connection is refused.",
    ],
    labels: ["security", "compliance"],
    context: "a cluster with ACLs and SSL enabled",
    sources: [issues(["mesos"], /authori[sz]|authenticat|\bacls?\b|\bssl\b|principal/i)],
  },
  {
    id: "run-windows",
    team: "RUN",
    parent: "epic-runtime",
    horizon: "later",
    state: "funnel",
    type: "business",
    title: "Windows agents",
    description: "Run the agent on Windows Server so .NET services can use the shared cluster.",
    benefitHypothesis:
      "We believe that Windows agents will result in .NET teams moving off their dedicated servers; we will know when " +
      "three .NET services run on the shared cluster.",
    acceptanceCriteria: [
      "Given a Windows Server agent, when a task with a Windows container image is launched, then it runs and reports TASK_FINISHED.",
      "Given a task that exceeds its memory limit on a Windows agent, when the limit is hit, then the task is killed and reported as TASK_FAILED.",
    ],
    labels: ["windows"],
    context: "an agent running on Windows Server",
    sources: [issues(["mesos"], /windows/i)],
  },

  // ── Integration ────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: "intg-http",
    team: "INTG",
    parent: "epic-integration",
    horizon: "current",
    state: "implementing",
    type: "business",
    title: "HTTP listener and requester",
    description:
      "Replace the HTTP transport with a listener and a requester that share connection configuration across flows, " +
      "support keep-alive and streaming, and expose status codes and headers as message attributes.",
    benefitHypothesis:
      "We believe that a new HTTP listener and requester will result in developers building REST APIs without " +
      "workarounds; we will know when HTTP-related support cases per 100 customers fall by 40% in the two PIs after release.",
    acceptanceCriteria: [
      "Given two flows share one listener configuration on port 8081, when requests arrive for /orders and /customers, then each reaches its own flow.",
      "Given a requester with keep-alive on, when a flow sends ten requests to one host, then one connection is reused.",
      "Given the remote service answers 503, when the requester receives it, then the flow's error handler sees the status code and the response body.",
    ],
    labels: ["http", "connectors"],
    context: "a Mule flow with an HTTP listener or requester",
    sources: [issues(["mule"], /http|listener|requester/i)],
  },
  {
    id: "intg-extensions",
    team: "INTG",
    parent: "epic-integration",
    horizon: "current",
    state: "validating",
    type: "enabler",
    enablerKind: "architecture",
    title: "Extensions API for custom connectors",
    description:
      "A stable, annotated extensions API with introspection, schema generation and test support, so partners write " +
      "connectors that keep working across runtime versions.",
    benefitHypothesis:
      "We believe that a stable extensions API will result in partners publishing connectors without rework at each " +
      "release; we will know when the five most-downloaded partner connectors run unchanged on two consecutive minor releases.",
    acceptanceCriteria: [
      "Given an extension class with annotated operations and configuration, when it is built, then an XML schema with documentation for each element is generated.",
      "Given an extension built against version N, when it is deployed on version N+1, then its operations run without recompiling.",
      "A test harness runs an extension's operations without starting a full runtime.",
    ],
    labels: ["connectors", "sdk"],
    context: "a connector built with the extensions API",
    sources: [issues(["mule"], /extension|devkit|\bsdk\b|connector/i)],
  },
  {
    id: "intg-datasense",
    team: "INTG",
    parent: "epic-integration",
    horizon: "current",
    state: "implementing",
    type: "business",
    title: "DataSense metadata in Studio",
    description:
      "Studio fetches the input and output types of connector operations once, caches them across sessions and " +
      "propagates them through the flow, so developers map fields without reading API documentation.",
    benefitHypothesis:
      "We believe that reliable DataSense metadata will result in developers building connector flows faster; we will " +
      "know when the median time to build the Salesforce-to-database tutorial falls from 45 to 25 minutes in usability sessions.",
    acceptanceCriteria: [
      "Given a configured Salesforce connector, when the developer reopens Studio, then the metadata fetched in the last session is available without a new fetch.",
      "Given a flow with an enricher, when metadata is propagated, then processors after the enricher see the enriched type.",
      "Given a connector reference that is not configured, when Studio loads the flow, then no metadata fetch is attempted and the element shows a configuration hint.",
    ],
    labels: ["studio", "metadata"],
    context: "a flow in Studio with a configured connector",
    sources: [issues(["mulestudio"], /datasense|metadata/i)],
  },
  {
    id: "intg-mapper",
    team: "INTG",
    parent: "epic-integration",
    horizon: "current",
    state: "deploying",
    type: "business",
    title: "DataMapper reliability",
    description:
      "Fix the DataMapper problems customers hit most: exceptions on invalid input files, lookup passwords encrypted " +
      "again on every save, unordered fields, and mappings that fail with Excel files.",
    benefitHypothesis:
      "We believe that fixing the most reported DataMapper problems will result in fewer abandoned mappings; we will " +
      "know when DataMapper support cases fall by half in the PI after release.",
    acceptanceCriteria: [
      "Given a mapping whose input is an invalid JSON file, when the developer opens it, then Studio shows the parse error with its line number.",
      "Given a database lookup with a saved password, when the mapping is saved again, then the stored password is unchanged.",
    ],
    labels: ["studio", "mapping"],
    context: "a DataMapper mapping in Studio",
    sources: [issues(["mulestudio"], /datamapper|mapping|dataweave|dw-ui/i)],
  },
  {
    id: "intg-sam",
    team: "INTG",
    parent: "epic-integration",
    horizon: "next",
    state: "backlog",
    type: "business",
    title: "Service Activity Monitoring",
    description:
      "Record the requests and responses of services and routes in a monitoring database and show them in the " +
      "administration console, so support traces a failed call end to end.",
    benefitHypothesis:
      "We believe that service activity monitoring will result in faster diagnosis of failed service calls; we will " +
      "know when the median time to identify the failing service in support cases is under 30 minutes.",
    acceptanceCriteria: [
      "Given monitoring is enabled for a provider, when a consumer calls it, then the request and response events are stored with a shared flow id.",
      "Given the administration console, when support searches by flow id, then all events of that flow are listed in time order.",
    ],
    labels: ["esb", "monitoring"],
    context: "a service with activity monitoring enabled",
    sources: [issues(["talendesb"], /\bsam\b|monitor|hyperic/i)],
    dependsOn: ["pipe-kafka"],
  },
  {
    id: "intg-locator",
    team: "INTG",
    parent: "epic-integration",
    horizon: "next",
    state: "backlog",
    type: "business",
    title: "Service Locator and Registry",
    description:
      "Consumers find service endpoints through the Service Locator instead of fixed URLs, with failover between " +
      "endpoints; WSDLs and policies are kept in a central registry.",
    benefitHypothesis:
      "We believe that locating services at run time will result in moving services between hosts without downtime; " +
      "we will know when pilot customers move a service without changing any consumer configuration.",
    acceptanceCriteria: [
      "Given two registered endpoints for a service, when one stops, then consumer calls fail over to the other within the configured session timeout.",
      "Given a WSDL is updated in the registry, when a consumer is redeployed, then it uses the new WSDL.",
    ],
    labels: ["esb", "registry"],
    context: "a consumer that resolves its endpoint through the Service Locator",
    sources: [issues(["talendesb"], /registry|locator/i)],
  },
  {
    id: "intg-sts",
    team: "INTG",
    parent: "epic-integration",
    horizon: "next",
    state: "backlog",
    type: "enabler",
    enablerKind: "compliance",
    title: "Security Token Service and WS-Security policies",
    description:
      "Issue SAML tokens from a Security Token Service and enforce authentication and authorization policies attached " +
      "to services, as customers' security audits require.",
    benefitHypothesis:
      "We believe that STS-based security will result in customers exposing services to partners without custom " +
      "security code; we will know when three customers pass a partner-integration security review using the STS.",
    acceptanceCriteria: [
      "Given a service with a SAML 2.0 policy, when a consumer calls it without a token, then the call is rejected with a SOAP fault and no business logic runs.",
      "Given a consumer configured for the STS with a valid username token, when it calls the service, then it receives a SAML token and the call succeeds.",
      "The getting-started guide has a worked example securing a service with the STS.",
    ],
    labels: ["esb", "security", "compliance"],
    context: "a service secured with an STS policy",
    sources: [issues(["talendesb"], /\bsts\b|polic(y|ies)|saml|token|security|authenticat|authori[sz]/i)],
  },
  {
    id: "intg-routes",
    team: "INTG",
    parent: "epic-integration",
    horizon: "later",
    state: "analyzing",
    type: "business",
    title: "Camel route builder",
    description:
      "Build Camel routes graphically in Studio, import and export them as Spring XML, and deploy them as OSGi bundles " +
      "to the ESB runtime.",
    benefitHypothesis:
      "We believe that a graphical route builder will result in integration analysts building routes without Java; we " +
      "will know when 30% of routes deployed by pilot customers were built in the route builder.",
    acceptanceCriteria: [
      "Given a route exported to Spring XML, when it is imported into a new project, then the graphical route is identical.",
      "Given a route, when the developer selects Deploy, then an OSGi bundle with the route starts in the runtime.",
    ],
    labels: ["esb", "routes"],
    context: "a route built in the route builder",
    sources: [issues(["talendesb"], /route|camel/i)],
  },
  {
    id: "intg-database",
    team: "INTG",
    parent: "epic-integration",
    horizon: "later",
    state: "funnel",
    type: "business",
    title: "Database connector with dynamic queries",
    description:
      "A database connector with parameterised and dynamic queries, streaming of large result sets, and DataSense types.",
    benefitHypothesis:
      "We believe that a database connector with dynamic queries will result in fewer custom Java components in flows; " +
      "we will know when custom JDBC components in pilot projects fall by half.",
    acceptanceCriteria: [
      "Given a select with a named parameter, when the flow runs with a value for it, then only the matching rows are returned.",
      "Given a query returning one million rows with streaming on, when the flow processes it, then memory use stays under 256 MB.",
    ],
    labels: ["connectors", "database"],
    context: "a flow using the database connector",
    sources: [issues(["mule"], /database|\bdb\b|jdbc/i)],
  },

  // ── Studio ─────────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: "stud-alloy",
    team: "STUD",
    parent: "epic-devex",
    horizon: "current",
    state: "releasing",
    type: "business",
    title: "Alloy MVC projects in Studio",
    description:
      "Create, run and package Alloy MVC projects from Studio: project templates, view and controller wizards, and " +
      "editors that understand Alloy's XML and style files.",
    benefitHypothesis:
      "We believe that first-class Alloy support in Studio will result in new mobile projects starting on Alloy; we " +
      "will know when 60% of projects created in Studio in the next PI are Alloy projects.",
    acceptanceCriteria: [
      "Given the New Mobile Project wizard, when the developer picks the Alloy template, then the created project runs on the iOS simulator and the Android emulator.",
      "Given an Alloy project, when the developer packages it for distribution, then the Alloy compile step runs before packaging.",
      "Alloy XML and style files open in editors with syntax colouring and content assist.",
    ],
    labels: ["studio", "alloy"],
    context: "an Alloy project in Studio",
    sources: [issues(["appceleratorstudio"], /alloy/i)],
  },
  {
    id: "stud-cli",
    team: "STUD",
    parent: "cap-delivery",
    horizon: "current",
    state: "implementing",
    type: "business",
    title: "One CLI for builds in Studio and CI",
    description:
      "One command-line interface builds, runs and packages apps for every platform, used by Studio and by CI servers " +
      "alike, with readable output and a build log.",
    benefitHypothesis:
      "We believe that one CLI for builds will result in teams building mobile apps in CI; we will know when 40% of " +
      "app builds on pilot accounts come from CI agents.",
    acceptanceCriteria: [
      "Given two attached devices, when 'ti build -p android -T device' runs with '-s' naming one of them, then the app is installed on that device only.",
      "Given a build that fails, when the CLI exits, then the exit code is non-zero and build.log contains the failing step.",
      "Given the CLI runs without a terminal, when it writes output, then the output contains no colour codes.",
    ],
    labels: ["cli", "mobile"],
    context: "a Titanium project built with the CLI",
    sources: [issues(["titanium", "appceleratorstudio"], /\bcli\b/i)],
    dependsOn: ["bld-agents"],
  },
  {
    id: "stud-hyperloop",
    team: "STUD",
    parent: "epic-devex",
    horizon: "current",
    state: "implementing",
    type: "business",
    title: "Hyperloop access to native APIs",
    description:
      "Call native iOS and Android APIs and third-party libraries directly from JavaScript, without writing a native module.",
    benefitHypothesis:
      "We believe that Hyperloop will result in teams shipping native features without native developers; we will " +
      "know when 25% of pilot apps use at least one native API through Hyperloop.",
    acceptanceCriteria: [
      "Given an Android app that includes a third-party AAR, when JavaScript creates one of its classes, then the native object is created and its methods can be called.",
      "Given a Hyperloop proxy to a native view, when garbage collection runs while the view is visible, then the app keeps running.",
    ],
    labels: ["mobile", "native"],
    context: "an app that uses Hyperloop",
    sources: [issues(["titanium"], /hyperloop/i)],
  },
  {
    id: "stud-ios",
    team: "STUD",
    parent: "epic-devex",
    horizon: "current",
    state: "validating",
    type: "business",
    title: "Support for the newest iOS release",
    description:
      "Apps keep working on the newest iOS release: new APIs, layout behaviour, HTTPS and permission changes, and the " +
      "fixes needed to pass App Store review.",
    benefitHypothesis:
      "We believe that same-month support for new iOS versions will result in customers staying on the platform " +
      "through Apple's release cycle; we will know when no pilot app is blocked from App Store submission by an SDK problem.",
    acceptanceCriteria: [
      "Given an app built with the latest SDK, when it runs on the newest iOS version, then the KitchenSink smoke suite passes.",
      "Given an HTTPS request to a server with a valid certificate, when the app sends it, then it succeeds under App Transport Security.",
    ],
    labels: ["mobile", "ios"],
    context: "an app running on the newest iOS version",
    sources: [issues(["titanium"], /^ios\b|\bios ?\d|iphone|ipad/i)],
  },
  {
    id: "stud-android",
    team: "STUD",
    parent: "epic-devex",
    horizon: "next",
    state: "backlog",
    type: "business",
    title: "Faster Android builds and on-device debugging",
    description:
      "Incremental Android builds, reliable emulator and device launch from Studio, and on-device debugging.",
    benefitHypothesis:
      "We believe that faster Android builds and reliable debugging will result in shorter edit-run cycles; we will " +
      "know when the median incremental Android build of the reference project is under 20 seconds.",
    acceptanceCriteria: [
      "Given an Android project built once, when one JavaScript file changes, then the next build skips the unchanged native steps.",
      "Given a tethered device, when the developer starts a debug session from Studio, then breakpoints in JavaScript are hit.",
    ],
    labels: ["mobile", "android"],
    context: "an Android project in Studio",
    sources: [issues(["titanium", "appceleratorstudio"], /android/i)],
  },
  {
    id: "stud-install",
    team: "STUD",
    parent: "epic-devex",
    horizon: "next",
    state: "backlog",
    type: "enabler",
    enablerKind: "infrastructure",
    title: "One-step Studio install and in-product SDK updates",
    description:
      "Install Studio with its prerequisites in one step, and receive SDK and plugin updates inside Studio, on Windows, " +
      "macOS and Linux.",
    benefitHypothesis:
      "We believe that a one-step install and in-product updates will result in more evaluators reaching a running " +
      "app; we will know when 75% of new installs run an app on their first day.",
    acceptanceCriteria: [
      "Given a machine without Node.js, when the developer runs the installer, then Node.js, the CLI and the latest SDK are installed.",
      "Given a newer SDK is released, when Studio starts, then the developer is offered the update and installs it without restarting Studio.",
    ],
    labels: ["studio", "installer"],
    context: "a developer installing or updating Studio",
    sources: [issues(["appceleratorstudio"], /install|update/i)],
  },
  {
    id: "stud-windows",
    team: "STUD",
    parent: "epic-backend",
    horizon: "later",
    state: "analyzing",
    type: "business",
    title: "Windows 10 target for mobile apps",
    description: "Build apps for Windows 10 and Windows Phone with the same UI APIs as iOS and Android.",
    benefitHypothesis:
      "We believe that a Windows target will result in enterprise customers standardising on the platform for field " +
      "apps; we will know when two enterprise customers ship a Windows app built with it.",
    acceptanceCriteria: [
      "Given an existing app, when the developer builds it for Windows, then the KitchenSink smoke suite passes on Windows 10.",
      "Every UI API in the reference lists its Windows support status.",
    ],
    labels: ["mobile", "windows"],
    context: "an app built for Windows 10",
    sources: [issues(["titanium"], /^windows\b|windows phone|windows store|windows 10/i)],
  },
  {
    id: "stud-editors",
    team: "STUD",
    parent: "epic-devex",
    horizon: "later",
    state: "funnel",
    type: "business",
    title: "Content assist for web editors",
    description:
      "Content assist, outline and formatting in the HTML, CSS, JavaScript and PHP editors that match the language versions in use.",
    benefitHypothesis:
      "We believe that better content assist will result in web developers staying in Studio; we will know when weekly " +
      "active web projects rise by 20%.",
    acceptanceCriteria: [
      "Given a JavaScript file, when the developer types a known object name and a dot, then its members are proposed.",
      "Given a PHP file with an HTML block, when the developer opens the outline, then the HTML nodes are nested under their PHP scope.",
    ],
    labels: ["studio", "editors"],
    context: "a web project open in Studio's editors",
    sources: [issues(["aptanastudio"], /content assist|editor|formatter|outline/i)],
  },

  // ── Build & Quality ────────────────────────────────────────────────────────────────────────────────────────
  {
    id: "bld-agents",
    team: "BLD",
    parent: "cap-delivery",
    horizon: "current",
    state: "implementing",
    type: "business",
    title: "Elastic build agents",
    description:
      "Start and stop cloud build agents on a schedule and on queue length, with capabilities per agent image, so " +
      "builds do not wait for a free agent at peak times.",
    benefitHypothesis:
      "We believe that elastic agents will result in shorter build queues at peak times; we will know when the 90th " +
      "percentile queue time on pilot instances is under two minutes.",
    acceptanceCriteria: [
      "Given an elastic schedule of at least 2 and at most 10 agents, when 15 builds are queued, then agents start until 10 are running.",
      "Given a queued build whose requirements no agent meets, when it is queued, then the user is alerted with the missing capability.",
    ],
    labels: ["ci", "agents"],
    context: "a build plan running on elastic agents",
    sources: [issues(["bamboo"], /agent|elastic/i)],
    dependsOn: ["run-docker"],
  },
  {
    id: "bld-branches",
    team: "BLD",
    parent: "cap-delivery",
    horizon: "current",
    state: "done",
    type: "business",
    title: "Plan branches for Git and Mercurial",
    description:
      "Build every feature branch with its plan's configuration automatically, and detect new branches and changes in " +
      "Git and Mercurial repositories.",
    benefitHypothesis:
      "We believe that automatic plan branches will result in teams testing feature branches before merging; we will " +
      "know when 80% of merges on pilot instances come from a branch with a green build.",
    acceptanceCriteria: [
      "Given a plan with automatic branch detection, when a new branch is pushed, then a plan branch is created and built within five minutes.",
      "Given a Mercurial repository, when a change is pushed, then exactly one build is triggered.",
    ],
    labels: ["ci", "vcs"],
    context: "a plan building from a Git or Mercurial repository",
    sources: [issues(["bamboo"], /branch|\bgit\b|repositor|mercurial/i)],
  },
  {
    id: "bld-coverage",
    team: "BLD",
    parent: "cap-delivery",
    horizon: "current",
    state: "implementing",
    type: "business",
    title: "Coverage reports that point at risky code",
    description:
      "Consistent line, branch and per-test coverage across HTML reports, the IDE and CI, with a dashboard that shows " +
      "the riskiest code first.",
    benefitHypothesis:
      "We believe that consistent, readable coverage reports will result in teams adding tests where risk is highest; " +
      "we will know when branch coverage of the most-changed packages on pilot projects rises by 10 points in one PI.",
    acceptanceCriteria: [
      "Given the same test run, when the HTML report and the IDE view are compared, then package coverage percentages are equal.",
      "Given a coverage check below its threshold, when the build runs, then the failure message states the actual and the required percentage.",
      "The dashboard lists the ten classes with the highest complexity and the lowest coverage.",
    ],
    labels: ["testing", "coverage"],
    context: "a project with coverage reporting enabled",
    sources: [issues(["clover"], /report|html|dashboard|coverage/i)],
  },
  {
    id: "bld-boards",
    team: "BLD",
    parent: "epic-devex",
    horizon: "current",
    state: "validating",
    type: "business",
    title: "Team boards with swimlanes",
    description:
      "A board per team with configurable columns and swimlanes, fed by a saved filter, that teams use at stand-up.",
    benefitHypothesis:
      "We believe that a configurable team board will result in teams running stand-ups from the tool; we will know " +
      "when 60% of pilot teams open their board on four days out of five.",
    acceptanceCriteria: [
      "Given a board with swimlanes by assignee, when the team opens it, then each person's issues are in their own lane.",
      "Given a user returns to the Agile tab, when it opens, then the board they viewed last is shown.",
    ],
    labels: ["agile", "boards"],
    context: "a team working from its board",
    sources: [issues(["jirasoftware"], /board|rapid|swimlane|column|card/i)],
  },
  {
    id: "bld-sprints",
    team: "BLD",
    parent: "epic-devex",
    horizon: "next",
    state: "backlog",
    type: "business",
    title: "Sprint report and control chart",
    description:
      "A sprint report, a burndown and a control chart of cycle time, so teams see scope change and flow time at their retrospective.",
    benefitHypothesis:
      "We believe that a sprint report and a control chart will result in retrospectives grounded in data; we will know " +
      "when half of the pilot teams open the control chart at their retrospective.",
    acceptanceCriteria: [
      "Given a sprint with issues added after it started, when the sprint report is opened, then those issues are marked as added scope.",
      "Given the control chart, when the user hovers over a point, then the issue key and its cycle time are shown.",
    ],
    labels: ["agile", "reports"],
    context: "a team reviewing its sprint",
    sources: [issues(["jirasoftware"], /sprint|burndown|chart|estimat|velocity|report/i)],
  },
  {
    id: "bld-deploy",
    team: "BLD",
    parent: "cap-delivery",
    horizon: "next",
    state: "backlog",
    type: "business",
    title: "Deployment projects and shared artifacts",
    description:
      "Share build artifacts between stages and plans, and promote a release through environments from a deployment project.",
    benefitHypothesis:
      "We believe that deployment projects will result in teams releasing from the tool they build with; we will know " +
      "when 30% of pilot plans have a linked deployment project.",
    acceptanceCriteria: [
      "Given a plan that publishes an artifact, when a downstream plan runs, then it receives the artifact of the triggering build.",
      "Given a release deployed to staging, when it is promoted to production, then the same artifacts are deployed.",
    ],
    labels: ["ci", "deployment"],
    context: "a plan with a linked deployment project",
    sources: [issues(["bamboo"], /artifact|deploy|release/i)],
    dependsOn: ["run-docker"],
  },
  {
    id: "bld-optimise",
    team: "BLD",
    parent: "cap-delivery",
    horizon: "next",
    state: "backlog",
    type: "business",
    title: "Test optimisation for Groovy and Grails",
    description:
      "Instrument Groovy and Grails code and run only the tests affected by a change, to shorten feedback on large test suites.",
    benefitHypothesis:
      "We believe that test optimisation will result in shorter CI feedback for Grails projects; we will know when " +
      "pilot Grails builds take 40% less time on average with no missed failures.",
    acceptanceCriteria: [
      "Given an optimised build, when one class changes, then only the tests covering that class and the tests that failed last time are run.",
      "Given Groovy code with closures, when it is instrumented, then coverage is reported per closure.",
    ],
    labels: ["testing", "performance"],
    context: "a Grails project with test optimisation",
    sources: [issues(["clover"], /optimi[sz]|instrument|groovy|grails/i)],
  },
  {
    id: "bld-ide",
    team: "BLD",
    parent: "cap-delivery",
    horizon: "later",
    state: "analyzing",
    type: "business",
    title: "Coverage in the IDE",
    description:
      "Show coverage and per-test results inline in IntelliJ IDEA and Eclipse, refreshed after each local test run.",
    benefitHypothesis:
      "We believe that coverage in the IDE will result in developers writing tests before pushing; we will know when " +
      "40% of pilot developers enable the IDE plugin.",
    acceptanceCriteria: [
      "Given a local test run in IntelliJ IDEA, when it finishes, then uncovered lines are highlighted in the open editors.",
      "Given a line in the editor, when the developer hovers over its coverage marker, then the tests that hit it are listed.",
    ],
    labels: ["testing", "ide"],
    context: "a developer viewing coverage in the IDE",
    sources: [issues(["clover"], /\bidea\b|eclipse|intellij/i)],
  },

  // ── Data Services ──────────────────────────────────────────────────────────────────────────────────────────
  {
    id: "data-profiling",
    team: "DATA",
    parent: "cap-quality",
    horizon: "current",
    state: "implementing",
    type: "business",
    title: "Column profiling analyses",
    description:
      "Profile columns of tables and files with built-in indicators (nulls, distinct values, patterns, value " +
      "frequency) and drill into the rows behind each result.",
    benefitHypothesis:
      "We believe that column profiling will result in data stewards finding quality problems before data reaches " +
      "reports; we will know when pilot stewards profile 80% of the tables feeding their monthly reports.",
    acceptanceCriteria: [
      "Given a column analysis with the null count indicator, when it runs on a table, then the result shows the count and the percentage of nulls.",
      "Given an analysis result, when the steward selects View invalid rows, then the rows that failed the indicator are listed.",
      "Given an analysis on a MySQL connection, when the steward views keys and indexes, then they are listed without an error.",
    ],
    labels: ["data-quality", "profiling"],
    context: "a column analysis on a database connection",
    sources: [issues(["talenddataquality"], /analysis|indicator|column/i)],
    dependsOn: ["pipe-batch"],
  },
  {
    id: "data-matching",
    team: "DATA",
    parent: "cap-quality",
    horizon: "current",
    state: "validating",
    type: "business",
    title: "Record matching and de-duplication",
    description:
      "Match records with configurable rules (exact, fuzzy, phonetic) and blocking keys, review groups of duplicates, " +
      "and choose the surviving record.",
    benefitHypothesis:
      "We believe that record matching will result in customers cleaning duplicate customer records before " +
      "migrations; we will know when pilot customers' duplicate rate in customer master data is below 2%.",
    acceptanceCriteria: [
      "Given a match rule on name (Jaro-Winkler 0.9) and city (exact), when 'Jon Smith, Leeds' and 'John Smith, Leeds' are compared, then they are grouped together.",
      "Given a group of duplicates, when the steward picks a survivor, then the output has one record per group.",
    ],
    labels: ["data-quality", "matching"],
    context: "a match analysis on customer records",
    sources: [issues(["talenddataquality"], /match|dedup|surviv/i)],
  },
  {
    id: "data-publish",
    team: "DATA",
    parent: "epic-pipelines",
    horizon: "current",
    state: "implementing",
    type: "business",
    title: "Publish data packages to the Data Hub",
    description:
      "Publishers sign up, publish data packages publicly or privately, and update them from the command line, so a " +
      "pipeline's output is shared as a versioned data set.",
    benefitHypothesis:
      "We believe that publishing data packages from a pipeline will result in customers sharing curated data sets " +
      "instead of ad hoc exports; we will know when pilot accounts publish 100 data packages in one PI.",
    acceptanceCriteria: [
      "Given a signed-in publisher, when they publish a data package as private, then only the members they invite can view it.",
      "Given a published data package, when the publisher pushes a new version from the command line, then the previous version stays downloadable.",
    ],
    labels: ["data-hub", "publishing"],
    context: "a signed-in publisher on the Data Hub",
    sources: [userStories(/^As an? (publisher|owner|admin)\b/i)],
    dependsOn: ["intg-http"],
  },
  {
    id: "data-integrity",
    team: "DATA",
    parent: "cap-quality",
    horizon: "current",
    state: "deploying",
    type: "enabler",
    enablerKind: "compliance",
    title: "Bit integrity checks for stored content",
    description:
      "Verify the checksums of stored content on demand and on a schedule against those recorded at upload, and keep " +
      "an audit log of every check, for customers with preservation and compliance obligations.",
    benefitHypothesis:
      "We believe that scheduled integrity checks with an audit log will result in archives and libraries choosing our " +
      "storage for preservation copies; we will know when three preservation customers use the integrity report in " +
      "their annual audit.",
    acceptanceCriteria: [
      "Given a space with 10,000 items, when an on-demand integrity check runs, then every item's checksum is compared with the stored value and mismatches are listed.",
      "Given a content item added with an expected checksum, when the uploaded content's checksum differs, then the upload is rejected.",
      "Every integrity check writes an audit log entry with its start, end and result.",
    ],
    labels: ["storage", "compliance"],
    context: "a storage space with integrity checking enabled",
    sources: [issues(["duracloud"], /integrity|\bbit\b|checksum|audit/i)],
  },
  {
    id: "data-reports",
    team: "DATA",
    parent: "cap-quality",
    horizon: "next",
    state: "backlog",
    type: "business",
    title: "Data quality reports and datamart",
    description:
      "Schedule reports over analysis results, keep their history in a datamart, and show trends per table in the portal.",
    benefitHypothesis:
      "We believe that data quality trend reports will result in stewards showing improvement to their business owners; " +
      "we will know when pilot stewards present a quality trend report at two consecutive monthly reviews.",
    acceptanceCriteria: [
      "Given a report over three analyses, when it runs on its schedule, then its results are stored in the datamart with the run date.",
      "Given a table with six report runs, when the steward opens its trend in the portal, then each indicator shows six points.",
    ],
    labels: ["data-quality", "reports"],
    context: "a data quality report stored in the datamart",
    sources: [issues(["talenddataquality"], /report|datamart|portal/i)],
  },
  {
    id: "data-rules",
    team: "DATA",
    parent: "cap-quality",
    horizon: "next",
    state: "backlog",
    type: "business",
    title: "Business rule authoring",
    description:
      "Rule authors capture business rules with their sources, validity periods and references to other rules, checked " +
      "against the rule syntax, so data-quality checks follow the organisation's documented policy.",
    benefitHypothesis:
      "We believe that structured rule authoring will result in data-quality checks that auditors can trace to policy; " +
      "we will know when every rule used by pilot stewards links to its source document.",
    acceptanceCriteria: [
      "Given a rule author, when they save a rule without a source, then the rule is saved as a draft and flagged as incomplete.",
      "Given a rule with a validity period that has ended, when checks run, then the rule is not applied.",
    ],
    labels: ["data-quality", "rules"],
    context: "a rule author working in the rulebase",
    sources: [userStories(/^As an? RuleAuthor\b/i)],
  },
  {
    id: "data-consume",
    team: "DATA",
    parent: "epic-pipelines",
    horizon: "next",
    state: "backlog",
    type: "business",
    title: "Find and reuse data packages",
    description:
      "Consumers search the Data Hub, preview a data package's data and views, and pull it into their own tools.",
    benefitHypothesis:
      "We believe that discoverable data packages will result in teams reusing data sets instead of rebuilding them; we " +
      "will know when 30% of pilot data packages are downloaded by a team other than the publisher's.",
    acceptanceCriteria: [
      "Given a search for a keyword, when results are shown, then each result shows the package title, publisher and last update.",
      "Given a data package, when a consumer opens it, then a preview of its first 100 rows is shown without downloading it.",
    ],
    labels: ["data-hub", "discovery"],
    context: "a consumer browsing the Data Hub",
    sources: [userStories(/^As an? (consumer|data analyst|developer|web developer|visitor)\b/i)],
  },
  {
    id: "data-sync",
    team: "DATA",
    parent: "cap-quality",
    horizon: "next",
    state: "backlog",
    type: "business",
    title: "Sync tool for bulk uploads",
    description:
      "A desktop and command-line sync tool that keeps a local folder and a storage space in step, resumes interrupted " +
      "uploads, and sends large files in chunks.",
    benefitHypothesis:
      "We believe that a resumable sync tool will result in customers moving their archives into the platform's " +
      "storage; we will know when pilot customers upload 50 TB with the sync tool in one PI.",
    acceptanceCriteria: [
      "Given an upload of 20,000 files is interrupted, when the sync tool restarts, then it resumes with the files not yet uploaded.",
      "Given a 5 GB file, when it is synced, then it is stored in chunks and its checksum matches the local file.",
    ],
    labels: ["storage", "sync"],
    context: "a folder synced to a storage space",
    sources: [issues(["duracloud"], /sync|bulk|upload|chunk/i)],
  },
  {
    id: "data-rule-admin",
    team: "DATA",
    parent: "cap-quality",
    horizon: "later",
    state: "analyzing",
    type: "business",
    title: "Rulebase structure, terminology and access",
    description:
      "Rule analysts structure the rulebase and its decision model, terminologists keep the vocabulary consistent, and " +
      "administrators control who may change which rules.",
    benefitHypothesis:
      "We believe that a structured rulebase with managed terminology will result in fewer conflicting rules; we will " +
      "know when conflicting rule reports in pilot rulebases fall by half.",
    acceptanceCriteria: [
      "Given a user without edit rights on a rulebase part, when they try to change a rule in it, then the change is refused.",
      "Given a rule that uses an undesired term, when it is saved, then the preferred term is suggested.",
    ],
    labels: ["data-quality", "rules"],
    context: "a rulebase with managed terminology",
    sources: [userStories(/^As an? (RuleAnalyst|administrator|terminator)\b/i)],
  },
  {
    id: "data-query",
    team: "DATA",
    parent: "epic-backend",
    horizon: "later",
    state: "analyzing",
    type: "business",
    title: "Entity queries and indexing for app backends",
    description:
      "Query stored entities by any property, with paging and geo queries, backed by a search index kept in step asynchronously.",
    benefitHypothesis:
      "We believe that flexible entity queries will result in app developers keeping their data in the hosted backend; " +
      "we will know when 80% of pilot app queries are answered in under 100 ms.",
    acceptanceCriteria: [
      "Given a collection with 1,000,000 entities, when an app queries by an indexed property with a page size of 50, then each page returns in under 100 ms.",
      "Given an entity is updated, when the index is queried two seconds later, then the query returns the updated entity.",
    ],
    labels: ["mobile-backend", "search"],
    context: "an app querying entities in the hosted backend",
    sources: [issues(["usergrid"], /query|index|elastic ?search|\bes\b|cursor/i)],
  },
  {
    id: "data-push",
    team: "DATA",
    parent: "epic-backend",
    horizon: "later",
    state: "funnel",
    type: "business",
    title: "Push notifications for app backends",
    description:
      "Send push notifications to iOS, Android and Windows devices from the hosted backend, queued and retried reliably.",
    benefitHypothesis:
      "We believe that hosted push notifications will result in apps re-engaging their users without their own push " +
      "servers; we will know when 10 pilot apps send notifications weekly.",
    acceptanceCriteria: [
      "Given a notification to 10,000 devices, when it is sent, then delivery status per device is available within five minutes.",
      "Given a device token the push service rejects, when a notification is sent to it, then the token is marked invalid and not retried.",
    ],
    labels: ["mobile-backend", "notifications"],
    context: "an app sending push notifications from the hosted backend",
    sources: [issues(["usergrid"], /notification|push|queue|sqs/i)],
  },
];

/**
 * The features the train delivered in the PI before the demo's first one, one per team, so the finished PI has the
 * stories its iteration history (velocity, acceptance, rework, flow) is read from. Their stories are drawn from the
 * first source that still has unused issues, the themed one before the team's wider pool.
 */
export const FINISHED_FEATURES: readonly CatalogFeature[] = [
  {
    id: "pipe-metrics",
    team: "PIPE",
    parent: "cap-streaming",
    horizon: "later",
    state: "done",
    type: "business",
    title: "Counters and gauges for running streams",
    description:
      "Streams publish message counts, field-value counters and rich gauges to a metrics repository that the shell, " +
      "the REST API and JMX read, so operators see a stream's throughput without attaching a debugger.",
    benefitHypothesis:
      "We believe that built-in stream metrics will result in operators finding stalled streams themselves; we will " +
      "know when stream-related support tickets that ask 'is it running?' fall by half within one PI of release.",
    acceptanceCriteria: [
      "Given a stream with a counter tap, when 1,000 messages pass, then the counter reads 1,000 in the shell and over REST.",
      "Given a stream is undeployed, when its metrics are listed, then its counters are kept until they are deleted explicitly.",
    ],
    labels: ["streaming", "metrics"],
    context: "a stream publishing counters and gauges",
    sources: [
      issues(["springxd"], /counter|gauge|metric|jmx|monitor/i),
      issues(["springxd"], /\blog|error|exception|module|stream/i),
    ],
  },
  {
    id: "run-recovery",
    team: "RUN",
    parent: "cap-scheduling",
    horizon: "later",
    state: "done",
    type: "enabler",
    enablerKind: "architecture",
    title: "Agent recovery and task reconciliation",
    description:
      "Agents checkpoint their state and recover running executors after a restart, and the master reconciles task " +
      "state with frameworks after a failover, so an upgrade of the cluster no longer kills running workloads.",
    benefitHypothesis:
      "We believe that agent recovery will result in teams upgrading the shared cluster during working hours; we will " +
      "know when a rolling upgrade of all agents finishes with no task lost on the performance environment.",
    acceptanceCriteria: [
      "Given an agent with running tasks, when the agent process restarts, then the tasks keep running and their status updates reach the framework.",
      "Given a master failover, when a framework re-registers, then task states are reconciled within one minute.",
    ],
    labels: ["cluster", "reliability"],
    context: "an agent restarting with running tasks",
    sources: [
      issues(["mesos"], /recover|checkpoint|reconcil|failover/i),
      issues(["mesos"], /slave|master|executor|health|status update/i),
    ],
  },
  {
    id: "intg-errors",
    team: "INTG",
    parent: "epic-integration",
    horizon: "later",
    state: "done",
    type: "business",
    title: "Exception strategies and transactions in flows",
    description:
      "Flows handle failures declaratively: catch, rollback and until-successful strategies, transactional and XA " +
      "scopes around JMS and database endpoints, and redelivery limits, so no message is lost or processed twice.",
    benefitHypothesis:
      "We believe that dependable error handling in flows will result in customers moving payment integrations onto the " +
      "platform; we will know when two pilot customers run a transactional flow in production for a month with no lost message.",
    acceptanceCriteria: [
      "Given a transactional flow reading from JMS, when the database insert fails, then the message is rolled back to the queue and redelivered.",
      "Given a message that fails more often than the redelivery limit, when it is redelivered again, then it goes to the dead-letter queue with the last exception.",
    ],
    labels: ["integration", "reliability"],
    context: "a flow with an exception strategy",
    sources: [
      issues(["mule"], /exception strateg|transaction|\bxa\b|redeliver|until-successful|rollback|reconnect/i),
      issues(["mule", "talendesb", "mulestudio"], /exception|error|retry|timeout/i),
    ],
  },
  {
    id: "stud-projects",
    team: "STUD",
    parent: "epic-devex",
    horizon: "later",
    state: "done",
    type: "business",
    title: "Project wizards and templates in Studio",
    description:
      "New mobile, desktop and web projects start from wizards with templates and samples, and existing projects import " +
      "with their settings, so a developer has a running app before reading the reference guide.",
    benefitHypothesis:
      "We believe that guided project creation will result in more trial users building their first app; we will know " +
      "when 70% of new Studio installs create a project within the first day.",
    acceptanceCriteria: [
      "Given a fresh install, when the developer creates a mobile project from a template, then it builds and runs on the simulator without changes.",
      "Given an existing project folder, when it is imported, then its build settings and SDK version are kept.",
    ],
    labels: ["studio", "onboarding"],
    context: "a new project created in Studio",
    sources: [
      issues(["appceleratorstudio", "titanium", "aptanastudio"], /project|wizard|template|sample/i),
      issues(["appceleratorstudio", "aptanastudio"], /preference|import|view|editor/i),
    ],
  },
  {
    id: "bld-results",
    team: "BLD",
    parent: "cap-delivery",
    horizon: "later",
    state: "done",
    type: "business",
    title: "Test results and build notifications",
    description:
      "Builds report test results per test case, with the failing-since build and quarantined tests, and notify the " +
      "people who broke or fixed the build by e-mail and chat, so a red build gets an owner within minutes.",
    benefitHypothesis:
      "We believe that clear test results and targeted notifications will result in faster fixes of broken builds; we " +
      "will know when the median time a main-branch build stays red falls below one hour.",
    acceptanceCriteria: [
      "Given a build with a failing test, when the result page opens, then the test shows the build it has been failing since.",
      "Given a build breaks, when it finishes, then the committers since the last green build are notified once.",
    ],
    labels: ["ci", "testing"],
    context: "a build with test results",
    sources: [
      issues(["bamboo", "clover"], /notification|e-?mail|test|result/i),
      issues(["bamboo", "clover", "jirasoftware"], /plan|build|issue|report/i),
    ],
  },
  {
    id: "data-storage",
    team: "DATA",
    parent: "cap-quality",
    horizon: "later",
    state: "done",
    type: "enabler",
    enablerKind: "infrastructure",
    title: "Storage providers and spaces for DuraCloud",
    description:
      "Content is stored through one storage API over several providers, with spaces, properties and large files split " +
      "into chunks, so data stewards keep copies with two providers and check them against each other.",
    benefitHypothesis:
      "We believe that one storage API over several providers will result in archives keeping a second copy by default; " +
      "we will know when 50% of pilot spaces are replicated to a second provider.",
    acceptanceCriteria: [
      "Given a space replicated to two providers, when a file is added, then both providers hold it with the same checksum.",
      "Given a 5 GB file, when it is uploaded, then it is stored in chunks and downloads as one file with its original checksum.",
    ],
    labels: ["storage"],
    context: "a space stored with two providers",
    sources: [
      issues(["duracloud"], /durastore|storage|provider|space|chunk|s3/i),
      issues(["duracloud", "usergrid", "talenddataquality"], /rest|service|content|collection/i),
    ],
  },
];
